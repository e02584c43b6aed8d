import type * as z from "zod";
import { notYet } from "./stub";
import type { EmailPreview, NewRule, Rule, RulePatch } from "./types";

export async function list(_campaignId: string): Promise<Rule[]> {
  return notYet();
}
export async function create(_campaignId: string, _input: z.input<typeof NewRule>): Promise<Rule> {
  return notYet();
}
export async function update(
  _campaignId: string,
  _ruleId: string,
  _patch: z.input<typeof RulePatch>,
): Promise<Rule> {
  return notYet();
}
export async function remove(_campaignId: string, _ruleId: string): Promise<void> {
  return notYet();
}
export async function test(
  _campaignId: string,
  _ruleId: string,
): Promise<{ sentTo: string; preview: z.infer<typeof EmailPreview> }> {
  return notYet();
}
