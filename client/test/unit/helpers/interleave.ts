// Every order in which events from several streams can reach the collector: each stream keeps
// its own order, the streams interleave freely. Used to check that the model's result does not
// depend on which socket happened to be read first.

export function* interleavings<T>(streams: readonly (readonly T[])[]): Generator<T[]> {
  const positions = streams.map(() => 0);
  const prefix: T[] = [];
  const total = streams.reduce((sum, stream) => sum + stream.length, 0);
  function* step(): Generator<T[]> {
    if (prefix.length === total) {
      yield [...prefix];
      return;
    }
    for (let index = 0; index < streams.length; index++) {
      if (positions[index] < streams[index].length) {
        prefix.push(streams[index][positions[index]++]);
        yield* step();
        positions[index]--;
        prefix.pop();
      }
    }
  }
  yield* step();
}

/** How many interleavings there are (the multinomial coefficient). */
export function countInterleavings(lengths: readonly number[]): number {
  let result = 1;
  let placed = 0;
  for (const length of lengths) {
    for (let k = 1; k <= length; k++) {
      placed++;
      result = (result * placed) / k;
    }
  }
  return Math.round(result);
}
