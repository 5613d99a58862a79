import { describe, expect, test } from "vitest";
import type { Rng } from "../../core/rng.js";
import {
  type ContactUse,
  changedContacts,
  chooseContacts,
  EMAIL_LABELS,
  type EntityProfile,
  identityOf,
  PHONE_LABELS,
  type UsageRates,
} from "./profile.js";

/** A stream that returns `values` in turn and counts its draws (a draw past the end throws). */
function scripted(values: readonly number[]): Rng & { drawn: () => number } {
  let i = 0;
  const next = () => {
    const v = values[i++];
    if (v === undefined) throw new Error(`draw ${i} of a script of ${values.length}`);
    return v;
  };
  return { next, double: next, uint32: () => Math.floor(next() * 2 ** 32), drawn: () => i };
}

const FULL: EntityProfile = {
  first_name: "Ann",
  last_name: "Lee",
  suffix: "",
  previous_last_name: "Park",
  country: "US",
  company: "Acme LLC",
  emails: { personal: "ann.lee@gmail.com", work: "alee@acme.com", family: "lees42@yahoo.com" },
  phones: { mobile: "555-201-0001", landline: "555-201-0002", work: "555-201-0003 x123" },
  place: { address: "12 Elm St", city: "Springfield", state: "IL", zip: "62701" },
  previous_place: { address: "9 Oak Ave", city: "Peoria", state: "IL", zip: "61602" },
  office: { address: "400 Main St Suite 2", city: "Springfield", state: "IL", zip: "62701" },
  company_index: 3,
  household: 3,
  changes_contacts: false,
};

/** The profile with no second contact point at all. */
const BARE: EntityProfile = {
  ...FULL,
  previous_last_name: null,
  emails: { ...FULL.emails, work: null, family: null },
  phones: { ...FULL.phones, landline: null, work: null },
  previous_place: null,
  office: null,
};

const RATES: UsageRates = {
  work_email: 0.3,
  family_email: 0.4,
  work_phone: 0.25,
  landline: 0.5,
  previous_address: 0.2,
  previous_last_name: 0.6,
  work_card: 0.7,
};

/** Draw order: work email, family email, work phone, landline, previous address, previous last name, suffix, business card. */
const U = (...u: number[]) => scripted(u);

describe("chooseContacts", () => {
  test.each([
    {
      what: "every draw under its rate: the work email and phone win",
      u: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9],
      email: "work",
      phone: "work",
    },
    { what: "work missed, family taken", u: [0.3, 0.39, 0.25, 0.49, 0, 0, 0.9, 0], email: "family", phone: "landline" },
    {
      what: "every draw at its rate: nothing second is used (the test is strict)",
      u: [0.3, 0.4, 0.25, 0.5, 0.2, 0.6, 0.5, 0.7],
      email: "personal",
      phone: "mobile",
    },
    { what: "every draw above: primary contacts", u: [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9], email: "personal", phone: "mobile" },
  ] as const)("$what", ({ u, email, phone }) => {
    const rng = U(...u);
    const use = chooseContacts(rng, FULL, RATES);
    expect(use.email).toBe(email);
    expect(use.phone).toBe(phone);
    expect(use.previous_place).toBe((u[4] as number) < RATES.previous_address);
    expect(use.previous_last_name).toBe((u[5] as number) < RATES.previous_last_name);
    expect(use.suffix).toBe((u[6] as number) < 0.5);
    expect(use.office).toBe(false);
    expect(rng.drawn()).toBe(8);
  });

  test("a profile without a contact point never uses it, whatever the draws, and still draws 8 times", () => {
    const rng = U(0, 0, 0, 0, 0, 0, 0, 0);
    expect(chooseContacts(rng, BARE, RATES)).toEqual({
      email: "personal",
      phone: "mobile",
      previous_place: false,
      previous_last_name: false,
      suffix: true,
      office: false,
    });
    expect(rng.drawn()).toBe(8);
  });

  test("the business card: with the work email and a card draw under work_card, the work phone and the office whatever the phone draws", () => {
    // Work email drawn (0.1 < 0.3), work phone and landline missed (0.9), card drawn (0.69 < 0.7).
    expect(chooseContacts(U(0.1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.69), FULL, RATES)).toMatchObject({
      email: "work",
      phone: "work",
      office: true,
    });
    // The card draw at the rate: no card, the phone as drawn.
    expect(chooseContacts(U(0.1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.7), FULL, RATES)).toMatchObject({
      email: "work",
      phone: "mobile",
      office: false,
    });
    // No card without the work email, however low the card draw.
    expect(chooseContacts(U(0.3, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0), FULL, RATES)).toMatchObject({ email: "personal", office: false });
    // A card without a work phone keeps the drawn phone; the office still comes with the email.
    const noWorkPhone: EntityProfile = { ...FULL, phones: { ...FULL.phones, work: null } };
    expect(chooseContacts(U(0.1, 0.9, 0.9, 0.2, 0.9, 0.9, 0.9, 0), noWorkPhone, RATES)).toMatchObject({
      email: "work",
      phone: "landline",
      office: true,
    });
  });

  test("without a work email the family email is tried on its own draw; without a work phone the landline", () => {
    const noWork: EntityProfile = { ...FULL, emails: { ...FULL.emails, work: null }, phones: { ...FULL.phones, work: null } };
    // The work draws (0) would win if the profile had work contacts.
    expect(chooseContacts(U(0, 0.2, 0, 0.2, 0.9, 0.9, 0.9, 0), noWork, RATES)).toMatchObject({ email: "family", phone: "landline" });
    expect(chooseContacts(U(0, 0.5, 0, 0.6, 0.9, 0.9, 0.9, 0), noWork, RATES)).toMatchObject({ email: "personal", phone: "mobile" });
  });

  test("rate 0 never uses a contact point and rate 1 always does (draws lie in [0, 1))", () => {
    const zero: UsageRates = {
      work_email: 0,
      family_email: 0,
      work_phone: 0,
      landline: 0,
      previous_address: 0,
      previous_last_name: 0,
      work_card: 0,
    };
    const one: UsageRates = {
      work_email: 1,
      family_email: 1,
      work_phone: 1,
      landline: 1,
      previous_address: 1,
      previous_last_name: 1,
      work_card: 1,
    };
    const low = [0, 0, 0, 0, 0, 0, 0, 0];
    const high = [0.999, 0.999, 0.999, 0.999, 0.999, 0.999, 0.999, 0.999];
    expect(chooseContacts(U(...low), FULL, zero)).toMatchObject({
      email: "personal",
      phone: "mobile",
      previous_place: false,
      previous_last_name: false,
      office: false,
    });
    expect(chooseContacts(U(...high), FULL, one)).toMatchObject({
      email: "work",
      phone: "work",
      previous_place: true,
      previous_last_name: true,
      office: true,
    });
  });
});

describe("changedContacts", () => {
  const drawn: ContactUse = {
    email: "family",
    phone: "landline",
    previous_place: true,
    previous_last_name: false,
    suffix: true,
    office: false,
  };
  const cases = EMAIL_LABELS.flatMap((email) => PHONE_LABELS.map((phone) => ({ email, phone })));
  test.each(cases)("after a first record using the $email email and $phone phone", ({ email, phone }) => {
    const first: ContactUse = { email, phone, previous_place: false, previous_last_name: true, suffix: false, office: false };
    expect(changedContacts(first, drawn)).toEqual({
      ...drawn,
      // The other email and phone: work for personal or family, personal for work; work for mobile
      // or landline, mobile for work.
      email: email === "work" ? "personal" : "work",
      phone: phone === "work" ? "mobile" : "work",
    });
    const changed = changedContacts(first, drawn);
    expect(changed.email).not.toBe(email);
    expect(changed.phone).not.toBe(phone);
  });

  test("a business card survives only when the changed email is the work one", () => {
    const card: ContactUse = { ...drawn, email: "work", phone: "work", office: true };
    const personalFirst: ContactUse = { ...card, email: "personal", phone: "mobile", office: false };
    expect(changedContacts(personalFirst, card)).toMatchObject({ email: "work", phone: "work", office: true });
    expect(changedContacts(card, card)).toMatchObject({ email: "personal", phone: "mobile", office: false });
  });
});

describe("identityOf", () => {
  const use = (u: Partial<ContactUse>): ContactUse => ({
    email: "personal",
    phone: "mobile",
    previous_place: false,
    previous_last_name: false,
    suffix: false,
    office: false,
    ...u,
  });

  test("the primary contact points", () => {
    expect(identityOf(FULL, use({}))).toEqual({
      first_name: "Ann",
      last_name: "Lee",
      email: "ann.lee@gmail.com",
      phone: "555-201-0001",
      address: "12 Elm St",
      city: "Springfield",
      state: "IL",
      zip: "62701",
      country: "US",
      company: "Acme LLC",
    });
  });

  test.each([
    ["work", "alee@acme.com"],
    ["family", "lees42@yahoo.com"],
    ["personal", "ann.lee@gmail.com"],
  ] as const)("the %s email", (email, value) => {
    expect(identityOf(FULL, use({ email })).email).toBe(value);
  });

  test.each([
    ["work", "555-201-0003 x123"],
    ["landline", "555-201-0002"],
    ["mobile", "555-201-0001"],
  ] as const)("the %s phone", (phone, value) => {
    expect(identityOf(FULL, use({ phone })).phone).toBe(value);
  });

  test("the previous address moves street, city, state and zip together; the previous last name replaces the current one", () => {
    expect(identityOf(FULL, use({ previous_place: true, previous_last_name: true }))).toMatchObject({
      last_name: "Park",
      address: "9 Oak Ave",
      city: "Peoria",
      state: "IL",
      zip: "61602",
    });
  });

  test("the office address (street, city, state, zip) wins over the current and the previous address", () => {
    expect(identityOf(FULL, use({ office: true, previous_place: true }))).toMatchObject({
      address: "400 Main St Suite 2",
      city: "Springfield",
      zip: "62701",
    });
  });

  test("a use naming a contact point the profile lacks falls back to the primary one", () => {
    expect(identityOf(BARE, use({ email: "work", phone: "work", previous_place: true, previous_last_name: true, office: true }))).toEqual(
      identityOf(BARE, use({})),
    );
    expect(identityOf(BARE, use({ email: "family", phone: "landline" })).email).toBe("ann.lee@gmail.com");
  });

  test("the suffix is written after the last name (current or previous) only when the profile has one and the record writes it", () => {
    const junior: EntityProfile = { ...FULL, suffix: "Jr." };
    expect(identityOf(junior, use({ suffix: true })).last_name).toBe("Lee Jr.");
    expect(identityOf(junior, use({ suffix: true, previous_last_name: true })).last_name).toBe("Park Jr.");
    expect(identityOf(junior, use({ suffix: false })).last_name).toBe("Lee");
    expect(identityOf(FULL, use({ suffix: true })).last_name).toBe("Lee");
  });
});
