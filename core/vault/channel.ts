/** How a partner is reached: their preferred channel when they have its address, else the other one. */
export function channelOf(partner: {
  preferredChannel?: "sms" | "email";
  mobile?: string;
  email?: string;
}): "sms" | "email" | undefined {
  const preferred = partner.preferredChannel ?? (partner.mobile ? "sms" : "email");
  if (preferred === "sms" && partner.mobile) return "sms";
  if (partner.email) return "email";
  return partner.mobile ? "sms" : undefined;
}
