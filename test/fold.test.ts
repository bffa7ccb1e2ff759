import { describe, expect, it } from "vitest";
import { foldDigits, foldText } from "../extract/contracts/fold.ts";

describe("digit folding", () => {
  it("turns Persian and Arabic-Indic digits and separators into Latin", () => {
    expect(foldDigits("۱۴۰۴/۱/۱۸")).toBe("1404/1/18");
    expect(foldDigits("٠١٢٣٤٥٦٧٨٩")).toBe("0123456789");
    expect(foldDigits("۱٬۲۵۰٬۰۰۰")).toBe("1,250,000");
    expect(foldDigits("۲٫۵")).toBe("2.5");
  });
});

describe("header folding", () => {
  it("treats Arabic and Persian letter variants as the same letter", () => {
    expect(foldText("كد مشتري")).toBe(foldText("کد مشتری"));
    expect(foldText("مالیات")).not.toBe(foldText("مالیه"));
  });

  it("ignores ZWNJ, direction marks, repeated and surrounding whitespace and case", () => {
    expect(foldText("  مبلغ\u200cخالص ")).toBe(foldText("مبلغ خالص"));
    expect(foldText("\u200fشماره   فاکتور\t")).toBe("شماره فاکتور");
    expect(foldText(" Invoice  Number ")).toBe("invoice number");
  });

  it("folds digits inside headers", () => {
    expect(foldText("ستون ۲")).toBe(foldText("ستون 2"));
  });
});
