import type { Button, Reply } from "../conversations/message.ts";
import { type AccountLookup, localize } from "../domain/account.ts";
import type { Classification, Language } from "../domain/intent.ts";
import { CANCELLABLE_STATUSES, type TicketStatus, type TicketType } from "../domain/ticket.ts";
import { formatDay, formatInstant, render, type Vars } from "./catalogue.ts";
import { consequenceLines } from "./consequences.ts";
import {
  type BranchCondition,
  type ButtonDefinition,
  type FlowDefinition,
  type FlowSet,
  type StepDefinition,
  TICKET_CONDITIONS,
} from "./definition.ts";
import type { EngineRequest, RequestResult, TicketView } from "./requests.ts";

/**
 * The flow engine: a pure interpreter of flows/. Given the conversation state, one event (a classified
 * message or the result of a request it made) and a context (clock, flows, settings), it returns the
 * next state, the replies, and at most one request for the outside world. No I/O, no clock of its own.
 */

type Json = string | number | boolean | null;

export interface Frame {
  flow: string;
  step: string;
  /** Sub-state of a multi-turn step (verify: ask_contact → ask_code). */
  phase: string | null;
  slots: Record<string, Json>;
}

export interface ConversationState {
  language: Language;
  /** Active flows, innermost last; empty when the bot waits for a new request. */
  stack: Frame[];
  /** Unclear answers in a row; two offer a person. */
  misunderstandings: number;
  /** Buttons offered in the last reply, so a typed label or number maps to its value. */
  offered: Button[];
}

export const initialState = (language: Language): ConversationState => ({ language, stack: [], misunderstandings: 0, offered: [] });

export interface EngineContext {
  now: Date;
  flowSet: FlowSet;
  /** Below this confidence an intent does not interrupt or start anything. */
  threshold: number;
  coolingOffHours: Readonly<Record<TicketType, number>>;
  codeTtlMinutes: number;
  maxCodeAttempts: number;
  /** Seconds between two codes; enforced here too, the same way whether or not an account exists. */
  resendCooldownSeconds: number;
  /** The account already proven to belong to this channel identity, if any. */
  linkedAccountId: string | null;
}

export type EngineEvent = { kind: "message"; text: string; classification: Classification } | { kind: "result"; result: RequestResult };

export interface Outcome {
  state: ConversationState;
  replies: Reply[];
  request: EngineRequest | null;
  /** Set when the conversation goes to the agents' queue. */
  handoff: { reason: string } | null;
}

export function advance(state: ConversationState, event: EngineEvent, ctx: EngineContext): Outcome {
  const run = new Run(structuredClone(state), ctx);
  if (event.kind === "message") run.onMessage(event.text, event.classification);
  else run.onResult(event.result);
  return run.outcome();
}

const STOP_WORDS =
  /^(cancel|stop|quit|exit|abort|never ?mind|forget it|i changed my mind|算了|取消|不用了|不要了|退出|停止|算了吧|不弄了)[\s!.。！]*$/i;
const CORRECTION =
  /\b(wrong|incorrect|typo|mistake|change|different|another) (e-?mail|address|number|phone)\b|^(wrong|that'?s wrong|not (my|that) (e-?mail|number))|(邮箱|手机号|号码|地址)(错|不对|写错|输错)|(换|改)(一个|个)?(邮箱|手机号|号码)|^(错了|不对|写错了|输错了)/i;
const RESEND = /^(resend|send (it )?again|new code|another code|didn'?t (get|receive)|重发|再发|重新发送|没收到|收不到)/i;

class Run {
  private replies: Reply[] = [];
  private request: EngineRequest | null = null;
  private handoff: { reason: string } | null = null;
  private steps = 0;

  constructor(
    private state: ConversationState,
    private ctx: EngineContext,
  ) {}

  outcome(): Outcome {
    if (this.replies.length > 0) this.state.offered = this.replies.at(-1)?.buttons ?? [];
    return { state: this.state, replies: this.replies, request: this.request, handoff: this.handoff };
  }

  // ---------------------------------------------------------------- input

  onMessage(rawText: string, classification: Classification): void {
    const typed = rawText.trim();
    const text = this.resolveButton(typed);
    const pressed = this.state.offered.some((b) => b.value === text);
    // A pressed button or a bare email/code says nothing about the person's language or intent.
    if (!pressed && speaksLanguage(typed) && (classification.language === "en" || classification.language === "zh")) {
      this.state.language = classification.language;
    }
    const understood = pressed
      ? { ...classification, intent: "out_of_scope" as const, confidence: 0, source: "button" as const }
      : classification;
    const input: Input = { text, classification: understood, confident: understood.confidence >= this.ctx.threshold };
    if (text === "") return this.say("input.empty", {}, this.frame() ? this.promptButtons() : this.menuButtons());
    const interruption = this.interruption(input);
    if (interruption) return interruption();
    const frame = this.frame();
    if (!frame) return this.route(input);
    this.handleStepInput(frame, input);
  }

  /**
   * Maps a typed button label to the button's value. Not numbers: on the web "1" is not a button, and
   * a typed digit must never confirm a deletion (the terminal numbers its choices itself).
   */
  private resolveButton(text: string): string {
    const same = (label: string) => label.normalize("NFKC").toLowerCase() === text.normalize("NFKC").toLowerCase();
    const byLabel = this.state.offered.find((b) => same(b.label));
    return byLabel?.value ?? text;
  }

  /**
   * Requests that apply wherever the person is: a person, stop, switch, a question, a correction.
   * Returns what to do instead of the current step, or undefined to let the step handle the input.
   */
  private interruption(input: Input): (() => void) | undefined {
    const { text, classification: c, confident } = input;
    const frame = this.frame();
    if (text === "human" || (confident && c.intent === "human_agent")) return () => this.startFlow("human_agent", input);
    const target = /^(flow|switch):(\w+)$/.exec(text);
    // Only flows a person may start (those with triggers); internal ones like stop_request are not buttons.
    if (target && this.isPublicFlow(target[2] as string)) {
      const name = target[2] as string;
      return target[1] === "flow" ? () => this.startFlow(name, input) : () => this.switchFlow(name);
    }
    if (!frame) return undefined;
    const wantsToStop =
      text === "cancel" || STOP_WORDS.test(text) || (confident && c.intent === "cancel_deletion" && frame.flow !== "cancel_deletion");
    if (wantsToStop) return () => this.stop();
    if (text === "continue") return () => this.reprompt();
    if (frame.phase === "ask_code" && CORRECTION.test(text)) return () => this.askContactAgain(frame);
    const awaitsFreeText = this.currentStep()?.kind === "collect";
    if (!awaitsFreeText && confident && c.intent === "request_status" && frame.flow !== "request_status") {
      return () => this.answerStatus(frame);
    }
    const faq = this.matchFaq(text);
    if (faq) {
      return () => {
        this.say(faq, this.vars(frame));
        this.reprompt();
      };
    }
    return undefined;
  }

  /** No flow is active: the intent picks one, or the bot says what it can do. */
  private route(input: Input): void {
    const { classification: c, confident } = input;
    if (c.entities.ticketRefs.length > 0 && (!confident || c.intent === "out_of_scope")) return this.startFlow("request_status", input);
    if (confident) {
      const flow = [...this.ctx.flowSet.flows.values()].find((f) => f.triggers.includes(c.intent));
      if (flow) return this.startFlow(flow.flow, input);
    }
    this.misunderstood("fallback.out_of_scope");
  }

  private handleStepInput(frame: Frame, input: Input): void {
    const step = this.currentStep() as StepDefinition;
    switch (step.kind) {
      case "collect":
        return this.collectInput(frame, step, input);
      case "verify":
        return this.verifyInput(frame, step, input);
      case "confirm":
        return this.confirmInput(step, input);
      case "choose_payment_method":
        return this.chooseInput(frame, step, input);
      default:
        // A step that waits for a result got a message meanwhile: answer gently and keep waiting.
        return this.reprompt();
    }
  }

  // ---------------------------------------------------------------- results

  onResult(result: RequestResult): void {
    const frame = this.frame();
    const step = this.currentStep();
    if (!frame || !step) return;
    if (result.kind === "failed") return this.failed(result.code);
    switch (step.kind) {
      case "open_ticket":
        return this.ticketOpened(frame, step, result);
      case "verify":
        return this.verifyResult(frame, step, result);
      case "explain":
        return this.explainResult(frame, step, result);
      case "choose_payment_method":
        return this.chooseResult(frame, step, result);
      case "move_ticket":
        return this.ticketMoved(frame, step, result);
      case "branch":
        return this.branchResult(frame, step, result);
      case "show_tickets":
        return this.showTicketsResult(frame, step, result);
      case "cancel_tickets":
        return this.cancelTicketsResult(frame, step, result);
      case "handoff":
        this.handoff = { reason: step.reason };
        this.state.stack = [];
        return;
      default:
        return;
    }
  }

  private failed(code: string): void {
    const frame = this.frame();
    this.say(code === "DIRECTORY_UNAVAILABLE" ? "error.directory" : "error.generic", frame ? this.vars(frame) : {}, [
      this.button("button.human", "human"),
      this.button("button.try_again", "continue"),
    ]);
    // Back to where the person can try again: retype the contact, or the code.
    if (frame?.phase === "finding" || frame?.phase === "sending") frame.phase = "ask_contact";
    if (frame?.phase === "checking") frame.phase = "ask_code";
  }

  // ---------------------------------------------------------------- stepping

  private enter(): void {
    const frame = this.frame();
    const step = this.currentStep();
    if (!frame || !step) return;
    if (++this.steps > 50) throw new Error(`flow ${frame.flow} loops at step ${frame.step}`);
    switch (step.kind) {
      case "say":
        this.say(step.message, this.vars(frame), this.buttons(step.buttons));
        return this.goto(step.next);
      case "collect":
        frame.phase = "input";
        return this.say(step.message, this.vars(frame), this.buttons(step.buttons));
      case "verify":
        return this.enterVerify(frame, step);
      case "explain": {
        const accountId = this.accountId(frame);
        if (!accountId) return this.goto(step.next);
        return this.ask({ kind: "load_account", accountId });
      }
      case "confirm":
        frame.phase = "input";
        return this.say(step.message, this.vars(frame), this.buttons(step.buttons));
      case "choose_payment_method": {
        const accountId = this.accountId(frame);
        if (!accountId) return this.goto(step.none);
        frame.phase = "loading";
        return this.ask({ kind: "load_account", accountId });
      }
      case "open_ticket":
        return this.ask({ kind: "open_ticket", type: step.type, accountId: this.accountId(frame) });
      case "move_ticket":
        return this.enterMove(frame, step);
      case "branch":
        if (step.cases.some((c) => TICKET_CONDITIONS.includes(c.when))) {
          return this.ask({ kind: "list_tickets", accountId: this.accountId(frame) });
        }
        return this.branchOn(frame, step, []);
      case "show_tickets": {
        const reference = typeof frame.slots.reference === "string" ? frame.slots.reference : undefined;
        return this.ask({ kind: "list_tickets", accountId: this.accountId(frame), ...(reference ? { reference } : {}) });
      }
      case "cancel_tickets":
        return this.ask({ kind: "list_tickets", accountId: this.accountId(frame) });
      case "handoff":
        this.say(step.message, this.vars(frame), []);
        return this.ask({ kind: "handoff", reason: step.reason, summary: this.summary(frame), ticketId: str(frame.slots.ticketId) });
      case "call":
        return this.push(step.flow, { ...inheritedSlots(frame) });
      case "end":
        if (step.message) this.say(step.message, this.vars(frame), this.buttons(step.buttons));
        return this.pop();
    }
  }

  private goto(stepId: string): void {
    const frame = this.frame() as Frame;
    frame.step = stepId;
    frame.phase = null;
    this.state.misunderstandings = 0;
    this.enter();
  }

  private push(flowName: string, slots: Record<string, Json>): void {
    const flow = this.flow(flowName);
    if (!flow) return this.say("error.generic", {}, [this.button("button.human", "human")]);
    this.state.stack.push({ flow: flow.flow, step: flow.start, phase: null, slots });
    this.state.misunderstandings = 0;
    this.enter();
  }

  /** Ends the innermost flow; a caller resumes after its `call` step. */
  private pop(): void {
    const ended = this.state.stack.pop();
    this.resumeCaller(ended);
  }

  private resumeCaller(ended: Frame | undefined): void {
    const caller = this.frame();
    const callStep = this.currentStep();
    if (!caller || callStep?.kind !== "call") return;
    if (ended) Object.assign(caller.slots, pick(ended.slots, ["accountId"]));
    this.goto(callStep.next);
  }

  private startFlow(name: string, input: Input): void {
    const ref = input.classification.entities.ticketRefs[0];
    const keep = this.frame() ? inheritedSlots(this.frame() as Frame) : {};
    if (name === "human_agent") {
      // The person keeps their ticket; the agent sees it in the summary.
      const ticket = pick(this.frame()?.slots ?? {}, ["ticketId", "ticketRef", "ticketType", "ticketStatus"]);
      this.state.stack = [];
      return this.push("human_agent", { ...keep, ...ticket });
    }
    if (this.frame()) return this.switchFlow(name);
    this.push(name, ref ? { ...keep, reference: ref } : keep);
  }

  /** Leaves the current request (its ticket is cancelled with the reason) to start another. */
  private switchFlow(name: string): void {
    if (!this.closeCurrentRequest(`person chose ${name} instead`, name)) this.push(name, this.keptSlots());
  }

  private stop(): void {
    if (this.state.stack.length > 1) return this.stopCalledFlow();
    if (!this.closeCurrentRequest("stopped by the person in chat")) this.say("flow.stopped", {}, this.menuButtons());
  }

  /** Inside a called flow ("send me my data first"), stop means that flow: the caller then carries on. */
  private stopCalledFlow(): void {
    const inner = this.state.stack.pop() as Frame;
    const ticketId = str(inner.slots.ticketId);
    const status = str(inner.slots.ticketStatus) as TicketStatus | null;
    if (ticketId && status && CANCELLABLE_STATUSES.includes(status)) {
      const slots = { ...inheritedSlots(inner), ticketId, ticketRef: str(inner.slots.ticketRef), reason: "stopped by the person in chat" };
      this.state.stack.push({ flow: "stop_request", step: this.flow("stop_request")?.start ?? "", phase: null, slots });
      return this.enter();
    }
    this.say("flow.stopped");
    this.resumeCaller(inner);
  }

  /**
   * Empties the stack; when the current flow's ticket can still be cancelled, runs `stop_request` to
   * cancel it (then `nextFlow`, if given) and answers true.
   */
  private closeCurrentRequest(reason: string, nextFlow?: string): boolean {
    const frame = this.frame();
    const ticketId = str(frame?.slots.ticketId);
    const status = str(frame?.slots.ticketStatus) as TicketStatus | null;
    const keep = this.keptSlots();
    this.state.stack = [];
    if (!ticketId || !status || !CANCELLABLE_STATUSES.includes(status)) return false;
    const slots: Record<string, Json> = { ...keep, ticketId, ticketRef: str(frame?.slots.ticketRef), reason };
    if (nextFlow) slots.nextFlow = nextFlow;
    this.state.stack.push({ flow: "stop_request", step: this.flow("stop_request")?.start ?? "", phase: null, slots });
    this.enter();
    return true;
  }

  private keptSlots(): Record<string, Json> {
    const frame = this.frame();
    return frame ? inheritedSlots(frame) : {};
  }

  // ---------------------------------------------------------------- steps with input

  private collectInput(frame: Frame, step: Extract<StepDefinition, { kind: "collect" }>, input: Input): void {
    const value = collectValue(step.expect, input);
    if (value === undefined) return this.misunderstood(step.invalid);
    frame.slots[step.slot] = value;
    this.goto(step.next);
  }

  private confirmInput(step: Extract<StepDefinition, { kind: "confirm" }>, input: Input): void {
    const choice = step.choices?.find((c) => c.value === input.text);
    if (choice) return this.goto(choice.next);
    const answer = yesOrNo(input);
    if (answer === "yes") return this.goto(step.yes);
    if (answer === "no") return this.goto(step.no);
    this.misunderstood("repair.confirm_unclear");
  }

  private chooseInput(frame: Frame, step: Extract<StepDefinition, { kind: "choose_payment_method" }>, input: Input): void {
    const chosen = this.state.offered.find((b) => b.value === input.text && b.value.startsWith("pm:"));
    if (!chosen) return this.misunderstood("unlink.choose_unclear");
    frame.slots.paymentMethodId = chosen.value.slice(3);
    frame.slots.paymentMethod = chosen.label;
    this.goto(step.next);
  }

  // ---------------------------------------------------------------- verify

  private enterVerify(frame: Frame, step: Extract<StepDefinition, { kind: "verify" }>): void {
    const linked = this.ctx.linkedAccountId;
    if (str(frame.slots.accountId)) return this.goto(step.next);
    if (linked) {
      frame.slots.accountId = linked;
      this.say("verify.already_linked", this.vars(frame));
      return this.goto(step.next);
    }
    frame.phase = "ask_contact";
    this.say("verify.ask_contact", this.vars(frame), [this.button("button.human", "human")]);
  }

  private verifyInput(frame: Frame, _step: Extract<StepDefinition, { kind: "verify" }>, input: Input): void {
    const { entities } = input.classification;
    if (frame.phase === "ask_contact") {
      const lookup: AccountLookup | undefined = entities.emails[0]
        ? { email: entities.emails[0] }
        : entities.phones[0]
          ? { phone: entities.phones[0] }
          : undefined;
      if (!lookup) return this.misunderstood("verify.contact_invalid");
      frame.slots.fakeAttempts = 0;
      frame.slots.contactMedium = "email" in lookup ? "email" : "sms";
      // Counts contacts typed; masked hints of two addresses can look the same (alice/alise → a•••e).
      frame.slots.contactNumber = (Number(frame.slots.contactNumber) || 0) + 1;
      frame.phase = "finding";
      return this.ask({ kind: "find_account", lookup });
    }
    if (frame.phase === "ask_code") {
      const pending = str(frame.slots.pendingAccountId);
      if (RESEND.test(input.text) || input.text === "resend") return this.sendCode(frame);
      const compact = input.text.normalize("NFKC").replace(/[\s-]/g, "");
      const code = entities.codes[0] ?? (/^\d{6}$/.test(compact) ? compact : undefined);
      if (!code) return this.misunderstood("verify.code_invalid");
      if (!pending) return this.fakeWrongCode(frame);
      frame.phase = "checking";
      return this.ask({ kind: "check_code", code, ticketId: str(frame.slots.ticketId) });
    }
    this.reprompt();
  }

  /**
   * Sends a code to the account behind the contact, or pretends to when there is none: the replies,
   * the cool-down included, are the same either way, so they never reveal whether an account exists.
   */
  private sendCode(frame: Frame): void {
    frame.phase = "ask_code";
    const sentAt = str(frame.slots.codeSentAt);
    const waited = sentAt ? (this.ctx.now.getTime() - Date.parse(sentAt)) / 1000 : Number.POSITIVE_INFINITY;
    if (waited < this.ctx.resendCooldownSeconds) return this.sayCooldown(frame, Math.ceil(this.ctx.resendCooldownSeconds - waited));
    const pending = str(frame.slots.pendingAccountId);
    if (!pending) {
      this.codeSent(frame);
      return this.say("verify.code_sent", this.vars(frame), this.codeButtons());
    }
    frame.phase = "sending";
    const medium = frame.slots.contactMedium === "sms" ? "sms" : "email";
    this.ask({ kind: "send_code", accountId: pending, ticketId: str(frame.slots.ticketId), medium });
  }

  private codeSent(frame: Frame): void {
    frame.slots.codeSentAt = this.ctx.now.toISOString();
    frame.slots.codeContactNumber = frame.slots.contactNumber ?? null;
  }

  /** The wait between codes; after a corrected contact, say where the next code will go. */
  private sayCooldown(frame: Frame, seconds: number): void {
    const newContact = frame.slots.codeContactNumber !== frame.slots.contactNumber;
    this.say(newContact ? "verify.cooldown_new_contact" : "verify.cooldown", { ...this.vars(frame), seconds }, this.codeButtons());
  }

  /**
   * No account behind the contact: behave exactly as for a wrong code, so the replies never reveal
   * whether an account exists for an address.
   */
  private fakeWrongCode(frame: Frame): void {
    const attempts = (Number(frame.slots.fakeAttempts) || 0) + 1;
    frame.slots.fakeAttempts = attempts;
    const left = this.ctx.maxCodeAttempts - attempts;
    if (left <= 0) return this.goto((this.currentStep() as Extract<StepDefinition, { kind: "verify" }>).locked);
    this.say("verify.code_wrong", { ...this.vars(frame), attempts_left: left }, this.codeButtons());
  }

  private verifyResult(frame: Frame, step: Extract<StepDefinition, { kind: "verify" }>, result: RequestResult): void {
    if (result.kind === "account") {
      frame.slots.pendingAccountId = result.accountId;
      frame.slots.contactHint = result.contactHint;
      return this.sendCode(frame);
    }
    if (result.kind === "code_sent") {
      frame.phase = "ask_code";
      const r = result.result;
      if (r.kind === "no_contact" || r.kind === "locked") return this.goto(step.locked);
      if (r.kind === "cooldown") return this.sayCooldown(frame, r.retryAfterSeconds);
      this.codeSent(frame);
      return this.say("verify.code_sent", this.vars(frame), this.codeButtons());
    }
    if (result.kind === "code_checked") {
      const r = result.result;
      frame.phase = "ask_code";
      if (r.kind === "verified") {
        frame.slots.accountId = r.accountId;
        frame.slots.pendingAccountId = null;
        const deadlineBefore = frame.slots.ticketDeadline;
        if (result.ticket) setTicket(frame, result.ticket);
        if (result.merged && result.ticket) return this.continueExisting(frame, step);
        const moved = result.ticket && result.ticket.legalDeadline !== deadlineBefore;
        this.say(moved ? "verify.ok_deadline" : "verify.ok", this.vars(frame));
        return this.goto(step.next);
      }
      if (r.kind === "locked") return this.goto(step.locked);
      if (r.kind === "wrong")
        return this.say("verify.code_wrong", { ...this.vars(frame), attempts_left: r.attemptsLeft }, this.codeButtons());
      return this.say("verify.code_expired", this.vars(frame), this.codeButtons());
    }
  }

  /** The account already had this request open (from another chat): carry on with that one. */
  private continueExisting(frame: Frame, step: Extract<StepDefinition, { kind: "verify" }>): void {
    this.say("ticket.merged", this.vars(frame));
    if (frame.slots.ticketStatus === "verifying" || frame.slots.ticketStatus === "confirming") return this.goto(step.next);
    this.answerStatus(frame, true);
  }

  private askContactAgain(frame: Frame): void {
    frame.phase = "ask_contact";
    frame.slots.pendingAccountId = null;
    this.say("verify.ask_contact_again", this.vars(frame), [this.button("button.human", "human")]);
  }

  private codeButtons(): Button[] {
    return [
      this.button("button.resend", "resend"),
      this.button("button.wrong_contact", "wrong email"),
      this.button("button.human", "human"),
    ];
  }

  // ---------------------------------------------------------------- results of other steps

  private ticketOpened(frame: Frame, step: Extract<StepDefinition, { kind: "open_ticket" }>, result: RequestResult): void {
    if (result.kind !== "ticket") return;
    setTicket(frame, result.ticket);
    if (result.reused) this.say("ticket.reused", this.vars(frame));
    else this.say(step.message, this.vars(frame));
    if (result.reused && result.ticket.status !== "verifying" && result.ticket.status !== "confirming") {
      return this.answerStatus(frame, true);
    }
    this.goto(step.next);
  }

  private explainResult(frame: Frame, step: Extract<StepDefinition, { kind: "explain" }>, result: RequestResult): void {
    if (result.kind !== "facts") return;
    const catalogue = this.catalogue();
    if (!result.facts) this.say("explain.unavailable", this.vars(frame));
    else this.replies.push({ text: consequenceLines(step.topic, result.facts, this.state.language, catalogue, frame.slots).join("\n") });
    this.goto(step.next);
  }

  private chooseResult(frame: Frame, step: Extract<StepDefinition, { kind: "choose_payment_method" }>, result: RequestResult): void {
    if (result.kind !== "facts") return;
    const methods = result.facts?.paymentMethods ?? [];
    if (methods.length === 0) return this.goto(step.none);
    const buttons = methods.map((m) => ({ label: `${localize(m.brand, this.state.language)} •••• ${m.last4}`, value: `pm:${m.id}` }));
    if (methods.length === 1) {
      frame.slots.paymentMethodId = methods[0]?.id ?? null;
      frame.slots.paymentMethod = buttons[0]?.label ?? null;
      return this.goto(step.next);
    }
    frame.phase = "input";
    this.say(step.message, this.vars(frame), [...buttons, this.button("button.human", "human")]);
  }

  private enterMove(frame: Frame, step: Extract<StepDefinition, { kind: "move_ticket" }>): void {
    const ticketId = str(frame.slots.ticketId);
    if (!ticketId) return this.goto(step.next);
    // A reused ticket may already be where this step would move it (verified in an earlier chat).
    if (frame.slots.ticketStatus === step.to) return this.goto(step.next);
    const type = (str(frame.slots.ticketType) ?? "delete_account") as TicketType;
    let to = step.to;
    let scheduledFor: string | undefined;
    if (to === "scheduled") {
      const hours = this.ctx.coolingOffHours[type] ?? 0;
      if (hours === 0) to = "in_progress";
      else scheduledFor = new Date(this.ctx.now.getTime() + hours * 3_600_000).toISOString();
    }
    const details = frame.slots.paymentMethodId ? { paymentMethodId: frame.slots.paymentMethodId } : undefined;
    this.ask({
      kind: "move_ticket",
      ticketId,
      to,
      ...(step.reason || str(frame.slots.reason) ? { reason: step.reason ?? (str(frame.slots.reason) as string) } : {}),
      ...(scheduledFor ? { scheduledFor } : {}),
      ...(details ? { details } : {}),
    });
  }

  private ticketMoved(frame: Frame, step: Extract<StepDefinition, { kind: "move_ticket" }>, result: RequestResult): void {
    if (result.kind !== "ticket") return;
    setTicket(frame, result.ticket);
    const then = str(frame.slots.nextFlow);
    if (then && frame.flow === "stop_request") {
      this.say("flow.switched", this.vars(frame));
      this.state.stack = [];
      return this.push(then, pick(frame.slots, ["accountId"]));
    }
    this.goto(step.next);
  }

  private branchResult(frame: Frame, step: Extract<StepDefinition, { kind: "branch" }>, result: RequestResult): void {
    if (result.kind !== "tickets") return;
    this.branchOn(frame, step, result.tickets);
  }

  private branchOn(frame: Frame, step: Extract<StepDefinition, { kind: "branch" }>, tickets: TicketView[]): void {
    const result = { tickets };
    const open = result.tickets.filter((t) => !["completed", "cancelled", "rejected", "expired"].includes(t.status));
    const cancellable = result.tickets.filter((t) => CANCELLABLE_STATUSES.includes(t.status));
    const holds: Record<BranchCondition, boolean> = {
      linked_account: Boolean(this.accountId(frame)),
      has_reference: Boolean(str(frame.slots.reference)),
      cooling_off: frame.slots.ticketStatus === "scheduled",
      has_open_ticket: open.length > 0,
      has_cancellable_ticket: cancellable.length > 0,
      has_tickets: result.tickets.length > 0,
    };
    const match = step.cases.find((c) => holds[c.when]);
    this.goto(match ? match.goto : step.otherwise);
  }

  private showTicketsResult(frame: Frame, step: Extract<StepDefinition, { kind: "show_tickets" }>, result: RequestResult): void {
    if (result.kind !== "tickets") return;
    if (result.tickets.length === 0) this.say("status.none", this.vars(frame));
    else this.replies.push({ text: result.tickets.map((t) => this.ticketLine(t)).join("\n") });
    this.goto(step.next);
  }

  private cancelTicketsResult(frame: Frame, step: Extract<StepDefinition, { kind: "cancel_tickets" }>, result: RequestResult): void {
    if (result.kind === "tickets") {
      const queue = result.tickets.filter((t) => CANCELLABLE_STATUSES.includes(t.status)).map((t) => t.id);
      frame.slots.cancelQueue = queue.join(",");
      frame.slots.cancelled = "";
    }
    if (result.kind === "ticket") {
      frame.slots.cancelled = [str(frame.slots.cancelled), result.ticket.reference].filter(Boolean).join(", ");
    }
    const queue = (str(frame.slots.cancelQueue) ?? "").split(",").filter(Boolean);
    const next = queue.shift();
    frame.slots.cancelQueue = queue.join(",");
    if (next) return this.ask({ kind: "move_ticket", ticketId: next, to: "cancelled", reason: "the person withdrew the request in chat" });
    const cancelled = str(frame.slots.cancelled);
    this.say(cancelled ? "cancel.done" : "cancel.nothing", { ...this.vars(frame), references: cancelled ?? "" });
    this.goto(step.next);
  }

  // ---------------------------------------------------------------- repair

  private misunderstood(key: string): void {
    this.state.misunderstandings++;
    const frame = this.frame();
    if (this.state.misunderstandings >= 2) {
      this.state.misunderstandings = 0;
      return this.say("repair.offer_human", frame ? this.vars(frame) : {}, [
        this.button("button.human", "human"),
        this.button(frame ? "button.keep_going" : "button.menu", frame ? "continue" : "menu"),
      ]);
    }
    const buttons = frame ? this.promptButtons() : this.menuButtons();
    this.say(key, frame ? this.vars(frame) : {}, buttons);
  }

  /** Repeats what the current step is waiting for, after an interruption. */
  private reprompt(): void {
    const frame = this.frame();
    const step = this.currentStep();
    if (!frame || !step) return this.say("top.what_next", {}, this.menuButtons());
    if (step.kind === "verify") {
      if (frame.phase === "ask_code") return this.say("verify.code_reminder", this.vars(frame), this.codeButtons());
      return this.say("verify.ask_contact", this.vars(frame), [this.button("button.human", "human")]);
    }
    if (step.kind === "collect" || step.kind === "confirm") return this.say(step.message, this.vars(frame), this.buttons(step.buttons));
    if (step.kind === "choose_payment_method") return this.say(step.message, this.vars(frame), this.state.offered);
    this.say("top.what_next", {}, this.menuButtons());
  }

  private promptButtons(): Button[] {
    const step = this.currentStep();
    if (step && (step.kind === "confirm" || step.kind === "collect") && step.buttons) return this.buttons(step.buttons);
    if (step?.kind === "verify" && this.frame()?.phase === "ask_code") return this.codeButtons();
    return [this.button("button.human", "human")];
  }

  private answerStatus(frame: Frame, fromReuse = false): void {
    const ref = str(frame.slots.ticketRef);
    if (!ref) {
      this.say("status.no_current", this.vars(frame));
      if (!fromReuse) this.reprompt();
      return;
    }
    this.say("status.current", this.vars(frame));
    // Nothing left to do in this flow: its request already runs. A caller, if any, carries on.
    if (fromReuse) return this.pop();
    this.reprompt();
  }

  private matchFaq(text: string): string | undefined {
    const lower = text.toLowerCase();
    for (const entry of this.ctx.flowSet.faq) {
      const patterns = [...entry.match.en, ...entry.match.zh];
      if (patterns.some((p) => (p.startsWith("/") && p.endsWith("/") ? new RegExp(p.slice(1, -1), "i").test(text) : lower.includes(p)))) {
        return entry.answer;
      }
    }
    return undefined;
  }

  // ---------------------------------------------------------------- helpers

  private ask(request: EngineRequest): void {
    this.request = request;
  }

  private say(key: string, vars: Vars = {}, buttons: Button[] = []): void {
    const text = render(this.catalogue(), key, vars);
    this.replies.push(buttons.length > 0 ? { text, buttons } : { text });
  }

  private button(labelKey: string, value: string): Button {
    return { label: render(this.catalogue(), labelKey), value };
  }

  private buttons(definitions: readonly ButtonDefinition[] | undefined): Button[] {
    return (definitions ?? []).map((b) => this.button(b.label, b.value));
  }

  private menuButtons(): Button[] {
    return [
      this.button("button.delete_account", "flow:delete_account"),
      this.button("button.unlink_payment", "flow:unlink_payment"),
      this.button("button.remove_verification", "flow:remove_verification"),
      this.button("button.export_data", "flow:export_data"),
      this.button("button.status", "flow:request_status"),
      this.button("button.human", "human"),
    ];
  }

  private vars(frame: Frame): Vars {
    const lang = this.state.language;
    const deadline = str(frame.slots.ticketDeadline);
    const scheduledFor = str(frame.slots.ticketScheduledFor);
    return {
      reference: str(frame.slots.ticketRef) ?? "",
      deadline: deadline ? formatDay(deadline, lang) : "",
      scheduled_for: scheduledFor ? formatInstant(scheduledFor, lang) : "",
      status: str(frame.slots.ticketStatus) ? render(this.catalogue(), `status.name.${frame.slots.ticketStatus}`) : "",
      law: str(frame.slots.ticketJurisdiction) ? render(this.catalogue(), `law.${frame.slots.ticketJurisdiction}`) : "",
      contact: str(frame.slots.contactHint) ?? "",
      minutes: this.ctx.codeTtlMinutes,
      attempts: this.ctx.maxCodeAttempts,
      payment_method: str(frame.slots.paymentMethod) ?? "",
      cooling_hours: this.ctx.coolingOffHours[(str(frame.slots.ticketType) ?? "delete_account") as TicketType],
    };
  }

  private ticketLine(t: TicketView): string {
    const lang = this.state.language;
    const catalogue = this.catalogue();
    return render(catalogue, "status.line", {
      reference: t.reference,
      type: render(catalogue, `ticket_type.${t.type}`),
      status: render(catalogue, `status.name.${t.status}`),
      deadline: formatDay(t.legalDeadline, lang),
      scheduled_for: t.scheduledFor ? formatInstant(t.scheduledFor, lang) : "",
    });
  }

  private summary(frame: Frame): string {
    const parts = [`flow=${frame.flow}`, `step=${frame.step}`];
    if (frame.slots.ticketRef) parts.push(`ticket=${frame.slots.ticketRef} (${frame.slots.ticketStatus})`);
    if (frame.slots.accountId) parts.push("identity verified");
    return parts.join(", ");
  }

  private accountId(frame: Frame): string | null {
    return str(frame.slots.accountId) ?? this.ctx.linkedAccountId;
  }

  private catalogue() {
    return this.ctx.flowSet.catalogues[this.state.language];
  }

  private frame(): Frame | undefined {
    return this.state.stack.at(-1);
  }

  private isPublicFlow(name: string): boolean {
    return (this.flow(name)?.triggers.length ?? 0) > 0;
  }

  private flow(name: string): FlowDefinition | undefined {
    return this.ctx.flowSet.flows.get(name);
  }

  private currentStep(): StepDefinition | undefined {
    const frame = this.frame();
    return frame ? this.flow(frame.flow)?.steps[frame.step] : undefined;
  }
}

interface Input {
  text: string;
  classification: Classification;
  confident: boolean;
}

function collectValue(expect: "email_or_phone" | "reference" | "text", input: Input): Json | undefined {
  const e = input.classification.entities;
  if (expect === "reference") return e.ticketRefs[0];
  if (expect === "email_or_phone") return e.emails[0] ?? e.phones[0];
  return input.text.length > 0 ? input.text.slice(0, 500) : undefined;
}

/**
 * A confirmation counts only when it is explicit: a pressed button, or a plain yes/no that is not a
 * question ("sure?") — never a guess of the classifier ("行吧我再想想" must not delete an account).
 * A no may be looser than a yes: saying no to a deletion changes nothing irreversible.
 */
function yesOrNo(input: Input): "yes" | "no" | undefined {
  const { text, classification: c, confident } = input;
  if (text === "yes" || text === "confirm") return "yes";
  if (text === "no") return "no";
  if (isQuestion(text)) return undefined;
  if (c.entities.yesNo) return c.entities.yesNo;
  if (confident && c.intent === "deny") return "no";
  return undefined;
}

function isQuestion(text: string): boolean {
  return /[?？]\s*$|吗\s*$|么\s*$|呢\s*$/.test(text);
}

function setTicket(frame: Frame, ticket: TicketView): void {
  frame.slots.ticketId = ticket.id;
  frame.slots.ticketRef = ticket.reference;
  frame.slots.ticketType = ticket.type;
  frame.slots.ticketStatus = ticket.status;
  frame.slots.ticketDeadline = ticket.legalDeadline;
  frame.slots.ticketJurisdiction = ticket.jurisdiction;
  frame.slots.ticketScheduledFor = ticket.scheduledFor;
}

/** What a new flow may carry over from the one before: only the proof of identity. */
function inheritedSlots(frame: Frame): Record<string, Json> {
  return pick(frame.slots, ["accountId"]);
}

function pick(slots: Record<string, Json>, keys: string[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const key of keys) if (slots[key] !== undefined && slots[key] !== null) out[key] = slots[key] as Json;
  return out;
}

/** True when the text has words once emails, references and numbers are taken out. */
function speaksLanguage(text: string): boolean {
  const residue = text
    .replace(/\S+@\S+/g, " ")
    .replace(/\b[A-Z]{3}-[0-9A-Z]{6}\b/gi, " ")
    .replace(/[+\d][\d\s().-]*/g, " ");
  return /\p{L}{2,}|\p{Script=Han}/u.test(residue);
}

const str = (value: Json | undefined): string | null => (typeof value === "string" && value !== "" ? value : null);
