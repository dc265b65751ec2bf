/** A number zero-padded to `width` digits, so that numbers inside keys sort as strings (docs/data-model.md §1). */
export const pad = (n: number, width = 10) => String(n).padStart(width, '0');
