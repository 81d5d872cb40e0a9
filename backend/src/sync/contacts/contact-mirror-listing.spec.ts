import { cheaperToList, LISTING_PAGE_SIZE } from './contact-mirror-listing';

describe('cheaperToList: list the account into the mirror, or search amoCRM once per row', () => {
  it('lists when the pages of the account are fewer than the rows to look up', () => {
    expect(cheaperToList(0, 2)).toBe(true);
    expect(cheaperToList(300, 10_000)).toBe(true);
    expect(cheaperToList(100_000, 401)).toBe(true);
  });

  it('looks rows up one by one when listing would cost as many requests or more', () => {
    // an empty mirror still costs one page
    expect(cheaperToList(0, 1)).toBe(false);
    expect(cheaperToList(100_000, 400)).toBe(false);
    expect(cheaperToList(LISTING_PAGE_SIZE * 10 + 1, 11)).toBe(false);
    expect(cheaperToList(LISTING_PAGE_SIZE * 10, 11)).toBe(true);
  });
});
