// The follow-up's words in each language it can be written in (issue 12 item 3): the first,
// second and last nudge, a greeting that fits the language's business register, the closing, the
// "On <date>, <who> wrote:" line above the quote, and the stand-in for a missing subject.
//
// Register, with the reason for each choice:
// - de: "Guten Tag <full name>," and "Sie": the neutral formal greeting; "Sehr geehrte/r" needs a
//   gender, and a first name alone ("Hallo Lena") is informal.
// - fr: "Bonjour <first name>," and "vous": usual between business contacts; "Madame/Monsieur"
//   needs a gender.
// - es: "Buenos días, <first name>:" and "usted" (the colon after a greeting is Spanish usage).
// - it: "Gentile <first name>," and "Lei": formal and the same for every gender.
// - pt: "Bom dia, <first name>," and impersonal phrasing: neither "você" (too familiar in
//   Portugal) nor "o senhor / a senhora" (a gender) is needed.
// - nl: "Beste <first name>," and "u": the standard business greeting.
// - en: the texts of issue 8 (template.ts FOLLOW_UP_TEMPLATES), unchanged.
// Each nudge is a few sentences and ends with one question, like the English ones.
import type { FollowUpLanguage } from '../api.js';
import { replaceEnclosed } from '../mail/index.js';

export type FollowUpStep = 'first' | 'second' | 'last';

export interface LanguagePhrases {
  /** The greeting with a name ({firstName} or {fullName}), and without one. */
  greeting: { named: string; anonymous: string };
  /** The nudges; `{greeting}` and `{subject}` are filled in. */
  nudges: Record<FollowUpStep, string>;
  /** The closing before the signature, with its punctuation: German writes none (DIN 5008). */
  closing: string;
  /** Names the mail when its subject is empty. */
  previousMessage: string;
  /** The attribution line above the quote; `{date}` and `{who}` are filled in. */
  attribution: string;
  /** The same when the original's date is unreadable. */
  undated: string;
  /** luxon's locale and format for `{date}`. */
  dateLocale: string;
  dateFormat: string;
}

export const PHRASES: Readonly<Record<FollowUpLanguage, LanguagePhrases>> = {
  en: {
    greeting: { named: 'Hi {firstName},', anonymous: 'Hi,' },
    nudges: {
      first: '{greeting}\n\nI wanted to bring "{subject}" back to the top of your inbox in case it got buried. Did you have a chance to look at it?',
      second: '{greeting}\n\nJust following up once more on "{subject}", as I would still value your answer. Would a short call this week be easier than email?',
      last: '{greeting}\n\nI have not heard back about "{subject}", so I will assume the timing is not right and will not follow up again. Should I close this on my side?',
    },
    closing: 'Best regards,',
    previousMessage: 'my previous message',
    attribution: 'On {date}, {who} wrote:',
    undated: '{who} wrote:',
    dateLocale: 'en',
    dateFormat: "ccc, d LLL yyyy 'at' HH:mm",
  },
  de: {
    greeting: { named: 'Guten Tag {fullName},', anonymous: 'Guten Tag,' },
    nudges: {
      first: '{greeting}\n\nich möchte „{subject}“ noch einmal nach oben in Ihren Posteingang holen, falls es untergegangen ist. Hatten Sie schon Gelegenheit, es sich anzusehen?',
      second: '{greeting}\n\nich melde mich noch einmal wegen „{subject}“, da mir Ihre Antwort weiterhin wichtig ist. Wäre ein kurzes Telefonat in dieser Woche einfacher als eine E-Mail?',
      last: '{greeting}\n\nzu „{subject}“ habe ich nichts mehr von Ihnen gehört. Ich gehe davon aus, dass der Zeitpunkt gerade nicht passt, und melde mich nicht erneut. Soll ich das Thema bei mir abschließen?',
    },
    closing: 'Mit freundlichen Grüßen',
    previousMessage: 'meine letzte Nachricht',
    attribution: 'Am {date} schrieb {who}:',
    undated: '{who} schrieb:',
    dateLocale: 'de',
    dateFormat: "ccc, d. LLL yyyy 'um' HH:mm",
  },
  fr: {
    greeting: { named: 'Bonjour {firstName},', anonymous: 'Bonjour,' },
    nudges: {
      first: "{greeting}\n\nJe me permets de faire remonter « {subject} » dans votre boîte de réception, au cas où il vous aurait échappé. Avez-vous eu l’occasion d’y jeter un œil ?",
      second: '{greeting}\n\nJe reviens vers vous au sujet de « {subject} », car votre réponse me serait toujours précieuse. Un court appel cette semaine serait-il plus simple qu’un e-mail ?',
      last: '{greeting}\n\nSans nouvelles de votre part au sujet de « {subject} », je suppose que le moment n’est pas opportun et je ne vous relancerai plus. Dois-je clore ce sujet de mon côté ?',
    },
    closing: 'Cordialement,',
    previousMessage: 'mon précédent message',
    attribution: 'Le {date}, {who} a écrit :',
    undated: '{who} a écrit :',
    dateLocale: 'fr',
    dateFormat: "ccc d LLL yyyy 'à' HH:mm",
  },
  es: {
    greeting: { named: 'Buenos días, {firstName}:', anonymous: 'Buenos días:' },
    nudges: {
      first: '{greeting}\n\nLe escribo para volver a poner «{subject}» al principio de su bandeja de entrada, por si se le pasó. ¿Ha tenido ocasión de revisarlo?',
      second: '{greeting}\n\nLe escribo de nuevo sobre «{subject}», ya que su respuesta me sigue siendo muy valiosa. ¿Le resultaría más cómoda una breve llamada esta semana?',
      last: '{greeting}\n\nNo he tenido noticias sobre «{subject}», así que entiendo que no es el momento y no volveré a escribirle sobre ello. ¿Lo doy por cerrado por mi parte?',
    },
    closing: 'Saludos cordiales,',
    previousMessage: 'mi mensaje anterior',
    attribution: 'El {date}, {who} escribió:',
    undated: '{who} escribió:',
    dateLocale: 'es',
    dateFormat: "ccc, d LLL yyyy, 'a las' HH:mm",
  },
  it: {
    greeting: { named: 'Gentile {firstName},', anonymous: 'Buongiorno,' },
    nudges: {
      first: '{greeting}\n\nle riscrivo per riportare «{subject}» in cima alla sua casella di posta, nel caso le fosse sfuggito. Ha avuto modo di darci un’occhiata?',
      second: '{greeting}\n\nmi permetto di ricontattarla riguardo a «{subject}», perché una sua risposta mi sarebbe ancora molto utile. Una breve telefonata questa settimana sarebbe più comoda di un’e-mail?',
      last: '{greeting}\n\nnon avendo ricevuto risposta su «{subject}», immagino che non sia il momento giusto e non la ricontatterò più. Posso considerare chiusa la questione da parte mia?',
    },
    closing: 'Cordiali saluti,',
    previousMessage: 'il mio messaggio precedente',
    attribution: 'Il giorno {date} {who} ha scritto:',
    undated: '{who} ha scritto:',
    dateLocale: 'it',
    dateFormat: "ccc d LLL yyyy 'alle' HH:mm",
  },
  pt: {
    greeting: { named: 'Bom dia, {firstName},', anonymous: 'Bom dia,' },
    nudges: {
      first: '{greeting}\n\nEscrevo para trazer “{subject}” de volta ao topo da sua caixa de entrada, caso tenha passado despercebido. Já teve oportunidade de ver?',
      second: '{greeting}\n\nVolto a escrever sobre “{subject}”, pois ainda gostaria muito de receber a sua resposta. Uma breve chamada esta semana seria mais prática do que o e-mail?',
      last: '{greeting}\n\nComo não tive resposta sobre “{subject}”, presumo que não seja o momento certo e não voltarei a insistir. Posso dar o assunto por encerrado da minha parte?',
    },
    closing: 'Com os melhores cumprimentos,',
    previousMessage: 'a minha mensagem anterior',
    attribution: 'Em {date}, {who} escreveu:',
    undated: '{who} escreveu:',
    dateLocale: 'pt',
    dateFormat: "ccc, d LLL yyyy, 'às' HH:mm",
  },
  nl: {
    greeting: { named: 'Beste {firstName},', anonymous: 'Goedendag,' },
    nudges: {
      first: '{greeting}\n\nIk wilde „{subject}” nog even bovenaan uw inbox zetten, voor het geval het ertussendoor is geglipt. Heeft u er al naar kunnen kijken?',
      second: '{greeting}\n\nIk kom nog één keer terug op „{subject}”, omdat ik uw reactie nog steeds op prijs stel. Zou een kort telefoongesprek deze week makkelijker zijn dan e-mail?',
      last: '{greeting}\n\nIk heb niets meer gehoord over „{subject}”, dus ik neem aan dat het nu niet het juiste moment is en kom er niet meer op terug. Zal ik het aan mijn kant afsluiten?',
    },
    closing: 'Met vriendelijke groet,',
    previousMessage: 'mijn vorige bericht',
    attribution: 'Op {date} schreef {who}:',
    undated: '{who} schreef:',
    dateLocale: 'nl',
    dateFormat: "ccc d LLL yyyy 'om' HH:mm",
  },
};

/** 1 → first nudge, 2 → second, 3 and later → last. */
export function stepName(step: number): FollowUpStep {
  return step <= 1 ? 'first' : step === 2 ? 'second' : 'last';
}

/**
 * The built-in template of a language and step, the greeting filled in: what renderFollowUp takes
 * (`{subject}` still to fill). Without a first name, the greeting without a name.
 */
export function nudgeTemplate(language: FollowUpLanguage, step: number, names: { firstName: string | null; fullName: string | null }): string {
  const p = PHRASES[language];
  const first = names.firstName?.trim() ?? '';
  const full = names.fullName?.trim() || first;
  const greeting = first ? p.greeting.named.replace('{firstName}', () => first).replace('{fullName}', () => full) : p.greeting.anonymous;
  return p.nudges[stepName(step)].replace('{greeting}', () => greeting);
}

/**
 * The display name as a person's full name for a greeting ("Müller, Hans" → "Hans Müller"),
 * given that firstNameFor found a first name in it; null when it is not a plain name.
 */
export function fullNameFor(name: string | null | undefined, firstName: string | null): string | null {
  if (!firstName || typeof name !== 'string') return null;
  // A display name is short; a long one is no plain name (and keeps the patterns below cheap).
  if (name.length > 300) return null;
  // "Hans Müller (ACME)" → "Hans Müller  ": each "(…)" a blank; an unclosed "(" stays.
  let n = replaceEnclosed(name.replace(/["']/g, ''), [['(', ')']], ' ');
  // "Hans Müller via LinkedIn": the sender's name ends before " via ".
  const via = n.search(/\svia\s/i);
  if (via >= 0) n = n.slice(0, via);
  n = n.replace(/\s+/g, ' ').trim();
  if (n.includes('@') || n.length > 80) return null;
  const comma = /^([^,]{1,40}),\s*([^,]{1,40})$/.exec(n);
  if (comma) n = comma[2].toLowerCase().includes(firstName.toLowerCase()) ? `${comma[2]} ${comma[1]}` : comma[1];
  return n.toLowerCase().includes(firstName.toLowerCase()) ? n : null;
}
