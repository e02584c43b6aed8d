export * as Apply from "./apply";
export * as Campaigns from "./campaign";
export * as Dossiers from "./dossier";
export * as Rules from "./rules";
export * as RecruitmentTypes from "./types";
