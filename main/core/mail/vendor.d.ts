// libmime (postalsys) ships no types; we use one function of it.
declare module 'libmime' {
  const libmime: { decodeWords(value: string): string };
  export default libmime;
}
