import { type AccountFacts, localize, type RetentionRule } from "../domain/account.ts";
import type { Language } from "../domain/intent.ts";
import type { TicketType } from "../domain/ticket.ts";
import { formatList, formatMoney, render } from "./catalogue.ts";
import type { Catalogue } from "./definition.ts";

/**
 * The honest list of what a request changes for this account, one line per fact: what is lost,
 * what the law makes the company keep and for how long, what can be reused. Built from the
 * account's facts, never from a generic template that might not apply.
 */
export function consequenceLines(
  topic: TicketType,
  facts: AccountFacts,
  language: Language,
  catalogue: Catalogue,
  slots: Record<string, unknown>,
): string[] {
  const t = (key: string, vars: Record<string, string | number> = {}) => render(catalogue, key, vars);
  const lines: string[] = [t(`explain.${topic}.header`)];
  const bullet = (key: string, vars: Record<string, string | number> = {}) => lines.push(`• ${t(key, vars)}`);
  const l = (value: Parameters<typeof localize>[0]) => localize(value, language);
  const card = (pm: AccountFacts["paymentMethods"][number]) => `${l(pm.brand)} •••• ${pm.last4}`;
  const retention = (rule: RetentionRule) =>
    rule.years < 1
      ? bullet("explain.retention_months", { what: l(rule.what), law: l(rule.law), months: Math.round(rule.years * 12) })
      : bullet("explain.retention", { what: l(rule.what), law: l(rule.law), years: rule.years });

  if (topic === "delete_account") {
    if (facts.balance && facts.balance.minor > 0)
      bullet("explain.balance", { amount: formatMoney(facts.balance.minor, facts.balance.currency, language) });
    for (const sub of facts.subscriptions) bullet("explain.subscription", { name: l(sub.name), renews: t(`renews.${sub.renews}`) });
    for (const pm of facts.paymentMethods) {
      bullet(pm.boundTo ? "explain.card_bound" : "explain.card", { card: card(pm), bound_to: pm.boundTo ? l(pm.boundTo) : "" });
    }
    for (const v of facts.verifications) bullet("explain.verification", { data: l(v.dataHeld) });
    if (facts.sharedLoginProducts.length > 0)
      bullet("explain.shared_login", { products: formatList(facts.sharedLoginProducts.map(l), language) });
    bullet("explain.content");
    if (facts.username) {
      if (facts.usernameReleaseDays === null) bullet("explain.username_never", { username: facts.username });
      else bullet("explain.username_days", { username: facts.username, days: facts.usernameReleaseDays });
    }
    if (facts.phone) {
      if (facts.phoneReuseDays === null || facts.phoneReuseDays === 0) bullet("explain.phone_now");
      else bullet("explain.phone_days", { days: facts.phoneReuseDays });
    }
    for (const rule of facts.retention) retention(rule);
    if (facts.retention.length === 0) bullet("explain.retention_none");
    bullet("explain.irreversible");
  }

  if (topic === "unlink_payment") {
    const chosen = facts.paymentMethods.find((pm) => pm.id === slots.paymentMethodId);
    if (chosen?.boundTo) bullet("explain.unlink_bound", { card: card(chosen), bound_to: l(chosen.boundTo) });
    for (const sub of facts.subscriptions) bullet("explain.unlink_subscription", { name: l(sub.name) });
    if (facts.balance && facts.balance.minor > 0)
      bullet("explain.unlink_balance", { amount: formatMoney(facts.balance.minor, facts.balance.currency, language) });
    bullet("explain.unlink_records");
  }

  if (topic === "remove_verification") {
    if (facts.verifications.length === 0) bullet("explain.verification_none");
    for (const v of facts.verifications) bullet("explain.verification_removed", { data: l(v.dataHeld) });
    bullet("explain.verification_changes");
    const identityRules = facts.retention.filter((r) =>
      /verif|identity|KYC|身份|实名|反洗钱|anti-money/i.test(`${localize(r.what, "en")} ${localize(r.law, "en")}`),
    );
    for (const rule of identityRules) retention(rule);
  }

  if (topic === "export_data") {
    bullet("explain.export_contents");
    bullet("explain.export_delivery");
  }
  return lines;
}
