// Who people are to the user: known contacts (who they wrote with), the user's settings per
// contact (zone, country, hours, wait, trust), each contact's rhythm (when they write and how fast
// they answer), the wait before a follow-up is due, and the best hour to send one.
export { buildContacts, answersUser, domainOf, folderKinds, isInJunk, isOwnAddress, normaliseName, trustOf, withoutTag } from './known.js';
export type { KnownContact, KnownContacts, KnownOrganisation, SentMessage, TrustKind, TrustOverrides } from './known.js';
export { isFreemail } from './freemail.js';
export { MAX_WAIT_DAYS, contactPrefId, getContactPrefs, loadContactPrefs, setContactPrefs, type ContactPrefs, type ContactPrefsChange } from './prefs.js';
export { clearTrust, setTrust, trustFor, trustOverrides, trustTarget } from './trust.js';
export { computeRhythms, isRobotSender, mayBeAutomatic, type ComputeRhythmsInput, type Rhythm, type RhythmOverride, type RhythmSamples } from './rhythm.js';
export { DEFAULT_WAIT_DAYS, MAX_RHYTHM_WAIT_DAYS, MIN_MEASURED_REPLIES, MIN_RHYTHM_WAIT_DAYS, waitFor, type Wait, type WaitInput } from './wait.js';
export { bestSendTime, type BestSendRule, type BestSendTime, type BestSendTimeInput } from './best-send-time.js';
export { contactDetails, contactPicture, type ContactDeps } from './details.js';
export { delayHistogram, rhythmPicture, type PictureInput } from './picture.js';
