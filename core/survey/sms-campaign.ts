/** The delivery campaign carrying a survey's SMS questions (./sms.ts), and back: a small module for the reply path. */
const suffix = "-sondage";
export const campaignIdOf = (surveyId: string) => `${surveyId}${suffix}`;
export const surveyOfCampaign = (campaignId: string) =>
  campaignId.endsWith(suffix) ? campaignId.slice(0, -suffix.length) : undefined;
