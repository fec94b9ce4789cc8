// The third job: a polite follow-up in the same thread, queued at the recipient's business hours
// (or as a plan of several), cancelled when they answer, sent exactly once. One file per use case:
// resend.ts (queue one), edit.ts (list, cancel, change), send-due.ts (send what is due, send now);
// conversation-state.ts, decide.ts and retry.ts are the pure rules, sender.ts the exactly-once
// send (witness.ts: where its witness copy goes).
export { exclusive, type Exclusive, type FollowUpDeps } from './deps.js';
export { MAX_CAP, MAX_TEXT_CHARS, checkText, resend } from './resend.js';
export { cancelFollowUp, listQueue, updateFollowUp } from './edit.js';
export { previewFollowUp } from './resend.js';
export { restoreFollowUp } from './undo.js';
export { sendNowCheck } from './send-check.js';
export { markUnanswered, followUpMark } from './marks.js';
export { holdEnd, holdMinutes, timeAfterHold } from './hold.js';
export { sendDue, sendNow } from './send-due.js';
export { DEFAULT_CAP, FollowUpQueue, QUEUE_CONTRACT_FIELDS, contractStatus, queueJson, readFollowUp, sortForDisplay, type FollowUp, type FollowUpStatus } from './queue.js';
export { WITNESS_GRACE_MS } from './sender.js';
export { when } from './format.js';
export { signOffFor } from './compose.js';
export {
  FOLLOW_UP_TEMPLATES,
  MAX_QUOTED_LINES,
  templateForStep,
  renderFollowUp,
  replySubject,
  stripReplyPrefixes,
  firstNameFor,
  type FollowUpStep,
  type RenderFollowUpInput,
  type FirstNameInput,
} from './template.js';
