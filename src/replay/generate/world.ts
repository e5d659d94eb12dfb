/**
 * The synthetic world the generator draws from: countries (currency, time zone, IP ranges),
 * merchant categories (MCC, channel mix, log-normal amounts in US dollars), card issuers,
 * user agents. Fictional but shaped like card-payment traffic.
 */

export interface Country {
  code: string;
  currency: string;
  /** Continent, to pick far-apart countries for impossible travel. */
  region: 'NA' | 'SA' | 'EU' | 'AS' | 'OC' | 'AF';
  /** Hours from UTC (whole hours; enough for daily rhythms). */
  utcOffset: number;
  /** First octets of the country's (fictional) IPv4 ranges. */
  ipOctets: readonly number[];
  /** Share of users living there. */
  weight: number;
}

export const COUNTRIES: readonly Country[] = [
  { code: 'US', currency: 'USD', region: 'NA', utcOffset: -5, ipOctets: [23, 64, 98, 172], weight: 30 },
  { code: 'CA', currency: 'CAD', region: 'NA', utcOffset: -5, ipOctets: [24, 70, 142], weight: 5 },
  { code: 'MX', currency: 'MXN', region: 'NA', utcOffset: -6, ipOctets: [187, 189, 201], weight: 4 },
  { code: 'BR', currency: 'BRL', region: 'SA', utcOffset: -3, ipOctets: [177, 179, 191], weight: 5 },
  { code: 'GB', currency: 'GBP', region: 'EU', utcOffset: 0, ipOctets: [25, 81, 86], weight: 10 },
  { code: 'DE', currency: 'EUR', region: 'EU', utcOffset: 1, ipOctets: [46, 79, 91], weight: 9 },
  { code: 'FR', currency: 'EUR', region: 'EU', utcOffset: 1, ipOctets: [82, 90, 109], weight: 7 },
  { code: 'ES', currency: 'EUR', region: 'EU', utcOffset: 1, ipOctets: [80, 83, 88], weight: 5 },
  { code: 'IT', currency: 'EUR', region: 'EU', utcOffset: 1, ipOctets: [79, 87, 93], weight: 4 },
  { code: 'NL', currency: 'EUR', region: 'EU', utcOffset: 1, ipOctets: [77, 84, 145], weight: 3 },
  { code: 'PL', currency: 'PLN', region: 'EU', utcOffset: 1, ipOctets: [31, 83, 178], weight: 3 },
  { code: 'IN', currency: 'INR', region: 'AS', utcOffset: 5, ipOctets: [49, 106, 117], weight: 5 },
  { code: 'JP', currency: 'JPY', region: 'AS', utcOffset: 9, ipOctets: [60, 126, 133], weight: 4 },
  { code: 'SG', currency: 'SGD', region: 'AS', utcOffset: 8, ipOctets: [101, 116, 175], weight: 2 },
  { code: 'AU', currency: 'AUD', region: 'OC', utcOffset: 10, ipOctets: [1, 49, 110], weight: 4 },
];

/** Countries attackers connect from (proxies, hosting, compromised machines); RU is rare and sanctioned. */
export const ATTACK_COUNTRIES: readonly { code: string; region: Country['region']; ipOctets: readonly number[]; weight: number }[] = [
  { code: 'VN', region: 'AS', ipOctets: [14, 113, 171], weight: 14 },
  { code: 'ID', region: 'AS', ipOctets: [36, 114, 180], weight: 12 },
  { code: 'NG', region: 'AF', ipOctets: [41, 102, 105], weight: 14 },
  { code: 'UA', region: 'EU', ipOctets: [37, 93, 176], weight: 8 },
  { code: 'RO', region: 'EU', ipOctets: [5, 86, 188], weight: 10 },
  { code: 'CN', region: 'AS', ipOctets: [27, 58, 121], weight: 10 },
  { code: 'PH', region: 'AS', ipOctets: [112, 120, 136], weight: 8 },
  { code: 'TR', region: 'EU', ipOctets: [78, 85, 95], weight: 8 },
  { code: 'BR', region: 'SA', ipOctets: [177, 179, 191], weight: 8 },
  { code: 'RU', region: 'EU', ipOctets: [5, 95, 178], weight: 2 },
];

/** Units of each currency per US dollar (rounded; amounts are synthetic). */
export const PER_USD: Readonly<Record<string, number>> = {
  USD: 1, CAD: 1.35, MXN: 17, BRL: 5, GBP: 0.8, EUR: 0.92, PLN: 4, INR: 83, JPY: 150, SGD: 1.35, AUD: 1.5,
};

/** Currencies without minor units. */
export const ZERO_DECIMAL: ReadonlySet<string> = new Set(['JPY']);

export interface Category {
  mcc: string;
  label: string;
  /** Median amount in US dollars and log-space standard deviation. */
  median: number;
  sigma: number;
  /** Share of card-present (point-of-sale) payments. */
  pos: number;
  /** How often a user pays in this category, relative to the others. */
  frequency: number;
  /** Merchants a user usually frequents in this category. */
  favourites: number;
}

export const CATEGORIES: readonly Category[] = [
  { mcc: '5411', label: 'Grocery', median: 42, sigma: 0.6, pos: 0.85, frequency: 22, favourites: 2 },
  { mcc: '5812', label: 'Restaurant', median: 34, sigma: 0.5, pos: 0.9, frequency: 12, favourites: 3 },
  { mcc: '5814', label: 'Fast Food', median: 11, sigma: 0.4, pos: 0.9, frequency: 12, favourites: 2 },
  { mcc: '5499', label: 'Coffee', median: 6, sigma: 0.35, pos: 0.95, frequency: 12, favourites: 1 },
  { mcc: '5541', label: 'Fuel', median: 48, sigma: 0.35, pos: 1, frequency: 7, favourites: 1 },
  { mcc: '5912', label: 'Pharmacy', median: 19, sigma: 0.6, pos: 0.9, frequency: 4, favourites: 1 },
  { mcc: '4121', label: 'Rides', median: 18, sigma: 0.5, pos: 0, frequency: 7, favourites: 1 },
  { mcc: '5818', label: 'Digital', median: 9, sigma: 0.7, pos: 0, frequency: 8, favourites: 2 },
  { mcc: '5942', label: 'Books', median: 22, sigma: 0.5, pos: 0.3, frequency: 3, favourites: 1 },
  { mcc: '5651', label: 'Clothing', median: 68, sigma: 0.6, pos: 0.4, frequency: 5, favourites: 2 },
  { mcc: '5732', label: 'Electronics', median: 150, sigma: 0.9, pos: 0.3, frequency: 2, favourites: 1 },
  { mcc: '4511', label: 'Airlines', median: 360, sigma: 0.55, pos: 0, frequency: 0.4, favourites: 1 },
  { mcc: '7011', label: 'Hotels', median: 210, sigma: 0.6, pos: 0.2, frequency: 0.6, favourites: 1 },
  { mcc: '7995', label: 'Betting', median: 35, sigma: 0.9, pos: 0, frequency: 1, favourites: 1 },
];

/** Categories card testers and velocity abusers buy in: resellable or instant goods. */
export const CASH_OUT_MCCS: readonly string[] = ['5732', '6540', '5818', '5947'];

export const CATEGORY_BY_MCC: ReadonlyMap<string, Category> = new Map([
  ...CATEGORIES.map((c) => [c.mcc, c] as const),
  ['6540', { mcc: '6540', label: 'Stored Value', median: 100, sigma: 0.5, pos: 0, frequency: 0, favourites: 0 }],
  ['5947', { mcc: '5947', label: 'Gift Cards', median: 80, sigma: 0.5, pos: 0, frequency: 0, favourites: 0 }],
]);

/** Words for fictional merchant names. */
export const NAME_WORDS: readonly string[] = [
  'Maple', 'Harbor', 'Summit', 'Juniper', 'Copper', 'Lantern', 'Orchid', 'Falcon', 'Willow', 'Granite',
  'Beacon', 'Cedar', 'Meadow', 'Atlas', 'Nimbus', 'Saffron', 'Pioneer', 'Riverside', 'Aurora', 'Sterling',
];

export const FIRST_NAMES: readonly string[] = [
  'ana', 'ben', 'chloe', 'daniel', 'emma', 'farid', 'grace', 'hiro', 'ines', 'jon', 'kemi', 'lucas', 'maria', 'noah',
  'olga', 'priya', 'quinn', 'rosa', 'sam', 'tara', 'umar', 'vera', 'wei', 'yusuf', 'zoe',
];
export const LAST_NAMES: readonly string[] = [
  'smith', 'garcia', 'muller', 'rossi', 'tanaka', 'silva', 'kowalski', 'dubois', 'patel', 'jones', 'nguyen', 'lopez',
  'brown', 'schmidt', 'wilson', 'martin', 'kim', 'singh', 'costa', 'moreau',
];
export const EMAIL_DOMAINS: readonly string[] = ['gmail.com', 'gmail.com', 'gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me', 'example.com'];
/** Where account takeovers move the account's e-mail to. */
export const ATTACKER_EMAIL_DOMAINS: readonly string[] = ['mailinator.com', 'yopmail.com', 'proton.me', 'gmail.com', 'outlook.com'];

export const CARD_BRANDS: readonly { brand: string; prefix: string; weight: number }[] = [
  { brand: 'visa', prefix: '4', weight: 55 },
  { brand: 'mastercard', prefix: '5', weight: 35 },
  { brand: 'amex', prefix: '37', weight: 10 },
];

/** BINs the sample rule `blocked-bin` denies: never issued to generated users. */
export const BLOCKED_BINS: ReadonlySet<string> = new Set(['404159', '431274', '530125', '552433', '601100']);

export const MOBILE_AGENTS: readonly string[] = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36',
];
export const DESKTOP_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
];
/** Clients of scripted attacks (the sample rule `suspicious-user-agent` knows some of them). */
export const SCRIPT_AGENTS: readonly string[] = [
  'python-requests/2.31.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36',
  'okhttp/4.12.0',
];

/**
 * Relative activity per local hour (0–23): quiet at night, a lunch peak and an evening peak.
 */
export const HOURLY_RHYTHM: readonly number[] = [
  0.6, 0.35, 0.2, 0.15, 0.15, 0.3, 0.8, 1.6, 2.4, 2.6, 2.7, 3.0, 3.6, 3.4, 2.8, 2.7, 2.9, 3.4, 4.0, 4.2, 3.8, 3.0, 2.0, 1.1,
];
