// Reading mail: headers, addresses, subjects, bodies and delivery reports; threading; what is
// automatic (auto-replies, bounces, lists, receipts); authentication results and look-alike
// domains. Pure functions over records and text.
export { localPart, domainOf, isNoReplyAddress, withoutSubaddress, isOwnAddress } from './addresses.js';
export { parseAuthResultsHeader, parseReceivedSpf, authservKey, learnReceivers, readAuthResults, authResultsOf, type AuthMethodResult, type ParsedAuthHeader, type DkimResult, type AuthResults } from './auth-results.js';
export { isHumanAnswer, classifyAutomated, needsBody, BODY_RULES, mayBeDsn, outOfOfficeReturnDate, type AutomatedKind, type AutomatedClass } from './autoreply.js';
export { parseContentType, readBody, type BodyParts } from './body.js';
export { readDsn, type DsnAction, type DsnReport } from './dsn.js';
export { addressesIn, noticePart, verpRecipient } from './bounce-addresses.js';
export { parseHeaderBlock, firstHeader, decodeWords, parseAddresses, parseMessageIds, parseDateHeader, dateHeaderOffsetMinutes, type HeaderMap } from './headers.js';
export { listPostAddress, listIdAddressGuess, listFromSender, learnListAddresses, listAddressesOf, isListMessage } from './lists.js';
export { publicSuffix, registrableDomain, skeleton, unicodeDomain, editDistance, maxTypoDistance, lookalikeIndex, findLookalike, type LookalikeKind, type LookalikeMatch, type LookalikeIndex } from './lookalike.js';
export { FETCHED_HEADERS, FETCHED_JUNK_HEADERS, fetchedHeadersFor, SYNTHETIC_ID_DOMAIN, localId, recordIds, recordIdCandidate, copyDigest, buildRecord, recordFromEml, type RecordInput } from './record.js';
export { learnVerdictWriters, readProviderVerdict, type ProviderVerdict } from './provider-verdict.js';
export { replaceEnclosed, trimEndChars } from './scan.js';
export { MAIL_LIMITS } from './limits.js';
export { subjectKey, normaliseSubject, hasReplyPrefix, type SubjectKey } from './subject.js';
export { isoMs, recordTime, ancestorIds, refersTo, idsOfSeveralSenders, threadRecords, conversations, type ThreadOptions, type Threads } from './threading.js';
export { detectLanguage, ownWords, preloadLanguageDetector, type LanguageGuess } from './language.js';
