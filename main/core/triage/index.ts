// The first two jobs: sent mail nobody answered (not fooled by auto-replies and bounces, with due
// dates and hints), and Junk mail from known contacts (rescued only when not forged), plus the
// actions on them: dismiss, "Not junk", and opening a conversation to read it.
export { AnalysisCache, type AnalysisKind } from './analysis-cache.js';
export { HEAD_LIMIT, headOf, junkList, junkFromScratch, parseNow, unansweredList, unansweredFromScratch, type TriageDeps } from './lists.js';
export { dismiss, dismissedAt, dismissedIds, undismiss } from './dismissed.js';
export { rescue, type RescueDeps } from './rescue.js';
export { conversationOf, type ConversationDeps } from './conversation.js';
export { findUnanswered } from './unanswered.js';
export { annotateUnanswered, dueFirst, dueFor, mainRecipient } from './due.js';
export { junkVerdicts, assessAuth, type JunkVerdict } from './junk.js';
