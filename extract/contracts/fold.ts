/**
 * Folding makes text that people consider "the same" compare equal: Arabic and Persian
 * letter variants, Persian/Arabic-Indic digits, ZWNJ and other invisible marks, case and
 * whitespace. Used to match CSV headers and coded values against contracts.
 */

const PERSIAN_ZERO = 0x06f0;
const ARABIC_INDIC_ZERO = 0x0660;

/** ۰-۹ and ٠-٩ to 0-9; ٫ (Arabic decimal separator) to "." and ٬ (thousands separator) to ",". */
export function foldDigits(text: string): string {
  return text.replace(/[\u06f0-\u06f9\u0660-\u0669\u066b\u066c]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code === 0x066b) return ".";
    if (code === 0x066c) return ",";
    return String(code >= PERSIAN_ZERO ? code - PERSIAN_ZERO : code - ARABIC_INDIC_ZERO);
  });
}

const LETTER_VARIANTS: Record<string, string> = {
  "\u064a": "\u06cc", // Arabic yeh ي → Persian yeh ی
  "\u0649": "\u06cc", // alef maksura ى → ی
  "\u0643": "\u06a9", // Arabic kaf ك → Persian keheh ک
  "\u0629": "\u0647", // teh marbuta ة → heh ه
  "\u06c0": "\u0647", // heh with yeh above ۀ → ه
};

/** The folded form of a header or coded value; two texts match when their folded forms are equal. */
export function foldText(text: string): string {
  return foldDigits(text.normalize("NFKC"))
    .replace(/[\u064a\u0649\u0643\u0629\u06c0]/g, (ch) => LETTER_VARIANTS[ch])
    .replace(/[\u0640\u064b-\u065f\u0670]/g, "") // tatweel and diacritics
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, " ") // ZWNJ, ZWJ, direction marks, BOM
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}
