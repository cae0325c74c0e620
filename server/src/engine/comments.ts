// Finding comments by position: `SourceFile.comments` is sorted by `from`, so a binary search
// finds a line's comments without looking at the others (a large file has thousands).

import type { Comment } from '../parser';

/** The index of the first comment starting at or after `offset` (`comments.length` if none does). */
export function firstCommentFrom(comments: readonly Comment[], offset: number): number {
  let low = 0;
  let high = comments.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (comments[middle].from < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}
