/**
 * One copy of each room id and channel name for all sockets: every socket's `watched` list and its Set in the
 * Socket.IO adapter would otherwise hold their own copies (~120 bytes a socket). Bounded; a clear only loses sharing.
 */
export function interner(max: number): <S extends string>(s: S) => S {
  const strings = new Map<string, string>();
  return <S extends string>(s: S): S => {
    const known = strings.get(s);
    if (known !== undefined) return known as S;
    if (strings.size >= max) strings.clear();
    strings.set(s, s);
    return s;
  };
}
