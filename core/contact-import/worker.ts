/**
 * The import worker's half of the noun, on its own: the SQS handler loads only what running a job needs,
 * not the API's verbs (presigned uploads, dry runs, listings) and their clients, which is ~10 MB of
 * resident memory less in a Lambda that streams a file (see the import benchmark).
 */
export * as ContactImport from "./job";
