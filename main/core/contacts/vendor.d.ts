// email-providers ships no types: its default export is the list of domains (all.json).
declare module 'email-providers' {
  const domains: readonly string[];
  export default domains;
}
