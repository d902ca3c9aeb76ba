/**
 * Every action_id, block_id and callback_id the app sends or listens for, in one place: a view
 * and its listener must agree on the string, and Slack caps each at 255 characters.
 */
export const COMMAND = '/attest';

export const ACTION = {
  homeRefresh: 'home.refresh',
  /** Per review item; value = item id. */
  reviewApprove: 'review.approve',
  reviewRevoke: 'review.revoke',
  /** "Approve all for <name>"; value = `<campaign id>:<person id>`. */
  reviewApprovePerson: 'review.approve_person',
  /** "Approve all remaining"; value = campaign id. */
  reviewApproveAll: 'review.approve_all',
  /** "Reassign…" per person; value encoded by `review-values.ts`. */
  reviewReassign: 'review.reassign',
  /** "Sign off" once every item is decided; value = `<campaign id>:<reviewer id>`. */
  reviewSignOff: 'review.sign_off',
  /** The per-item overflow menu with "Keep as exception"; option value = item id. */
  reviewKeep: 'review.keep',
  /** "Mark done" on a task DM; value = task id. */
  taskDone: 'task.done',
  /** "Launch" in the campaign preview modal; value = campaign id. */
  campaignLaunch: 'campaign.launch',
  /** Approve / Deny on an access request DM; value = request id. Distinct from the review buttons. */
  requestApprove: 'request.approve',
  requestDeny: 'request.deny',
  /** "Evidence bundle for this period" on the weekly control digest; value = the digest's evidence seq. */
  digestEvidence: 'controls.digest_evidence',
  /** The resource picker (external_select) of the request modal: its options listener matches on it. */
  requestResource: 'request.resource',
  /** Inputs inside modals (action ids only need to be unique within their block). */
  input: 'value',
} as const;

export const BLOCK = {
  homeHeader: 'home.header',
  homeReviews: 'home.reviews',
  homeTasks: 'home.tasks',
  homeApprovals: 'home.approvals',
  homeActions: 'home.actions',
  homeCampaigns: 'home.campaigns',
  helpCommands: 'help.commands',
  revokeItem: 'revoke.item',
  revokeReason: 'revoke.reason',
  revokeTiming: 'revoke.timing',
  reassignTo: 'reassign.to',
  signOffStatement: 'signoff.statement',
  signOffConfirm: 'signoff.confirm',
  keepItem: 'keep.item',
  keepControl: 'keep.control',
  keepEndsAt: 'keep.ends_at',
  campaignAttestation: 'campaign.attestation',
  reassignReason: 'reassign.reason',
  campaignName: 'campaign.name',
  campaignDue: 'campaign.due',
  campaignSystems: 'campaign.systems',
  campaignPrivileged: 'campaign.privileged',
  campaignDepartments: 'campaign.departments',
  campaignReviewerRule: 'campaign.reviewer_rule',
  campaignNonResponse: 'campaign.non_response',
  campaignSecondLevel: 'campaign.second_level',
  campaignLaunch: 'campaign.launch',
  offboardUser: 'offboard.user',
  offboardEmail: 'offboard.email',
  offboardDate: 'offboard.date',
  offboardTime: 'offboard.time',
  offboardReason: 'offboard.reason',
  offboardNotes: 'offboard.notes',
  onboardEmail: 'onboard.email',
  onboardName: 'onboard.name',
  onboardManager: 'onboard.manager',
  onboardDepartment: 'onboard.department',
  onboardTitle: 'onboard.title',
  onboardStart: 'onboard.start',
  requestResource: 'request.resource',
  requestReason: 'request.reason',
  requestDuration: 'request.duration',
  requestActions: 'request.actions',
  taskNote: 'task.note',
} as const;

export const CALLBACK = {
  home: 'home',
  revokeReason: 'review.revoke_reason',
  reassign: 'review.reassign',
  signOff: 'review.sign_off',
  keepException: 'review.keep_exception',
  campaignCreate: 'campaign.create',
  campaignPreview: 'campaign.preview',
  offboard: 'lifecycle.offboard',
  onboard: 'lifecycle.onboard',
  request: 'lifecycle.request',
  /** An admin's `Mark done` on someone else's task asks for a note first. */
  taskNote: 'lifecycle.task_note',
} as const;
