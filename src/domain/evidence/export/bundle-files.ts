/**
 * The files of a bundle, in the order they are written, with what each shows and the SOC 2
 * points of focus it supports. The wording of the points of focus is the one the compliance
 * team uses with its auditor; keep it stable.
 */
export const FOCUS = {
  reviewsCredentials: 'CC6.2 — reviews validity of access credentials',
  preventsInvalid: 'CC6.2 — prevents the use of credentials when no longer valid',
  removesAccess: 'CC6.3 — removes access when no longer required',
  reviewsRoles: 'CC6.3 — reviews access roles and rules',
  authorises: 'CC6.2 / CC6.3 — access is granted on an authorised request',
} as const;

export interface BundleFile {
  name: string;
  shows: string;
  supports: string[];
}

export const BUNDLE_FILES: BundleFile[] = [
  { name: 'population.csv', shows: 'Every review item as frozen at launch: person, system, account, resource, how held, privileged, last login; its final outcome over both levels; accounts without a person and their owner; the previous review’s decision, or new since it', supports: [FOCUS.reviewsCredentials, FOCUS.reviewsRoles] },
  { name: 'decisions.csv', shows: 'Each decision at each level (1: first reviewer, 2: the resource owner on privileged access): reviewer (name, email, Slack user), time, reason, delegation and stand-in reviewer, the suggestion shown and whether it was followed, an exception’s control and end date', supports: [FOCUS.reviewsCredentials, FOCUS.reviewsRoles] },
  { name: 'signoffs.csv', shows: 'Every reviewer of each campaign: items, decided, and each of their sign-offs (time, statement, item count, digest of the decided items, seq: a later sign-off covers items that reached them after the first), or none', supports: [FOCUS.reviewsCredentials, FOCUS.reviewsRoles] },
  { name: 'exceptions.csv', shows: 'Every access kept as an exception: person, resource, system, compensating control, end date, open or expired at export, who decided', supports: [FOCUS.reviewsRoles, FOCUS.removesAccess] },
  { name: 'remediation.csv', shows: 'Each revocation: who or what carried it out, when, the sync run that proved it, hours from decision', supports: [FOCUS.removesAccess, FOCUS.preventsInvalid] },
  { name: 'terminations.csv', shows: 'Each leaver’s accounts and grants removed, when, when verified, SLA met', supports: [FOCUS.preventsInvalid, FOCUS.removesAccess] },
  { name: 'access-requests.csv', shows: 'Each grant given: who asked, who approved, when carried out, expiry', supports: [FOCUS.authorises] },
  { name: 'findings.csv', shows: 'Exceptions: leavers still active, orphaned and stale accounts, unreviewed privileged access, rubber-stamping, suggested revokes all approved, missing sign-offs, expired exceptions, refused attempts, missed SLAs, undecided items', supports: [FOCUS.preventsInvalid, FOCUS.reviewsRoles] },
  { name: 'reconciliation.csv', shows: 'Completeness of the population: totals read from each identity provider, in scope, excluded by reason', supports: [FOCUS.reviewsCredentials] },
  { name: 'evidence.jsonl', shows: 'The hash-chained evidence events of the period, checkable on their own', supports: [FOCUS.reviewsCredentials, FOCUS.removesAccess] },
  { name: 'public-key.pem', shows: 'Signed bundles only: the Ed25519 public key that signed manifest.json (check its fingerprint against the one you were given)', supports: [] },
  { name: 'report.html', shows: 'This summary', supports: [] },
  { name: 'manifest.json', shows: 'SHA-256 and size of every file, the chain head, the export parameters; in a signed bundle, the signature over all of it', supports: [] },
];

export const MANIFEST = 'manifest.json';
export const EVIDENCE = 'evidence.jsonl';
export const PUBLIC_KEY = 'public-key.pem';
