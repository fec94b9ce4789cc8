// Talking SMTP: one transaction per message (followup/sender.ts builds exactly-once on it).
export { smtpReason, smtpTransaction, type SmtpOutcome, type SmtpTransactionInput } from './transaction.js';
