/** Just enough MIME for a single-part text mail from nodemailer: headers, and the body decoded. */
export function readMail(raw: string): { headers: string; subject: string; body: string } {
  const split = raw.indexOf("\r\n\r\n");
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const encoded = raw.slice(split + 4);
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  const body =
    encoding === "base64"
      ? Buffer.from(encoded.replace(/\s+/g, ""), "base64").toString("utf8")
      : encoding === "quoted-printable"
        ? Buffer.from(
            encoded.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
            "latin1",
          ).toString("utf8")
        : encoded;
  const rawSubject = /^subject:\s*(.*)$/im.exec(headers)?.[1] ?? "";
  const subject = rawSubject.replace(/=\?utf-8\?([BQ])\?([^?]+)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : decodeQ(text),
  );
  return { headers, subject, body: body.replace(/\r\n/g, "\n") };
}

function decodeQ(text: string): string {
  const bytes = text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}
