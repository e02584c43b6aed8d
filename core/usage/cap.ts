/**
 * A company's monthly spending cap when operators set none: 500 € a month, in millicents. Apart from
 * pricing.ts so that counting usage never loads the phone parser pricing needs.
 */
export const defaultMonthlyCapMillicents = 500 * 100_000;
