/** Seeded faker: the same seed and reference date always give the same fixtures. */
import { Faker, en } from '@faker-js/faker';

export function seededFaker(seed: number, refDate: number): Faker {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  faker.setDefaultRefDate(new Date(refDate));
  return faker;
}

/** A Luhn-valid card number with the given BIN prefix. */
export function cardNumber(faker: Faker, bin: string, length = 16): string {
  let digits = bin;
  while (digits.length < length - 1) digits += faker.number.int({ min: 0, max: 9 }).toString();
  return digits + luhnCheckDigit(digits);
}

export function luhnCheckDigit(partial: string): string {
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let d = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
