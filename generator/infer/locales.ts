/** The description locales preferred when none are given, best first (kept apart from infer/index.ts so the CLI reads it without loading inference). */
export const DEFAULT_LOCALES = ['en', 'fr', 'ko'] as const;
