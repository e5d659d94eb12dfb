import type { Random } from './Random.ts';
import { merchantOf, MERCHANTS_PER_CATEGORY, type Device, type Merchant, type UserProfile } from './createUser.ts';
import type { Ip } from './buildEvents.ts';
import { CATEGORIES, HOURLY_RHYTHM, type Category, type Country } from './world.ts';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const HOURS = HOURLY_RHYTHM.map((_, h) => h);

/** One user's profile, random stream and time frame: what normal activity and scenarios share. */
export class UserContext {
  readonly end: number;

  constructor(
    readonly user: UserProfile,
    readonly rng: Random,
    readonly start: number,
    readonly days: number,
  ) {
    this.end = start + days * DAY;
  }

  /** Where the user is at `t`: home, the trip's country, or undefined while flying. */
  locationAt(t: number): Country | undefined {
    const trip = this.user.trip;
    if (trip === undefined || t < trip.depart || t >= trip.back) return this.user.home;
    if (t < trip.arrive || (t >= trip.leave && t < trip.back)) return undefined;
    return t < trip.leave ? trip.to : this.user.home;
  }

  ageAt(t: number): number {
    return this.user.accountAgeDays + Math.floor((t - this.start) / DAY);
  }

  /** A time on `day` at a local hour drawn from the daily rhythm of `country`'s time zone. */
  rhythmTime(day: number, country: Country): number {
    const hour = this.rng.weighted(HOURS, (h) => HOURLY_RHYTHM[h]!);
    return this.start + day * DAY + (hour - country.utcOffset) * HOUR + this.rng.int(0, HOUR - 1);
  }

  /** The address a user's device has in `country`: home broadband, mobile carrier, or a foreign network. */
  ipFor(device: Device, country: Country): Ip {
    const u = this.user;
    const rng = this.rng;
    if (country !== u.home) return { address: `${rng.pick(country.ipOctets)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, country: country.code };
    if (device.kind === 'desktop') return { address: `${u.homeNet}.${(u.postalCode.charCodeAt(0) % 200) + 20}`, country: country.code };
    return { address: `${u.mobileNet}.${rng.int(1, 254)}`, country: country.code };
  }

  /** A merchant of `category` where the user is: at home usually a favourite (mostly the first), else any. */
  merchantFor(category: Category, country: Country): Merchant {
    const favs = this.user.favourites.get(category.mcc);
    if (country === this.user.home && favs !== undefined && favs.length > 0 && this.rng.chance(0.9)) {
      // The first favourite is the usual one; the others are visited less and less.
      const r = this.rng.next();
      return favs[r < 0.6 || favs.length === 1 ? 0 : r < 0.85 || favs.length === 2 ? 1 : 2]!;
    }
    return merchantOf(country.code, category, this.rng.int(0, MERCHANTS_PER_CATEGORY - 1));
  }

  /** A category for a payment on `channel`, by how often people pay there. */
  categoryFor(channel: 'pos' | 'ecommerce'): Category {
    return this.rng.weighted(CATEGORIES, (c) => c.frequency * (channel === 'pos' ? c.pos : 1 - c.pos));
  }

  inRange(t: number): boolean {
    return t >= this.start && t < this.end;
  }
}
