// Talking SMTP: one transaction per message (followup/sender.ts builds exactly-once on it), and
// the connection check of "Test connection".
export { permanentRefusal, smtpReason, smtpTransaction, type SmtpOutcome, type SmtpTransactionInput } from './transaction.js';
export { checkSmtp, describeSmtpError, type SmtpCheck } from './check.js';
