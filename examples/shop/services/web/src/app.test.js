// Unit tests (run with a JS test runner in a real repo; excluded from ripple inputs).
describe("formatPrice", () => {
  it("formats cents as currency", () => {
    expect(formatPrice(1200)).toBe("€12.00");
  });
});
