// Talking SMTP: one transaction per message (followup/sender.ts builds exactly-once on it).
export { permanentRefusal, smtpReason, smtpTransaction, type SmtpOutcome, type SmtpTransactionInput } from './transaction.js';
