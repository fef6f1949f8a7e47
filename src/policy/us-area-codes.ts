/**
 * United States area codes as dated policy data (CONSENT-8, OPEN-18).
 *
 * Meta words the US marketing pause as covering "United States phone numbers (numbers composed of
 * a +1 dialing code and a US area code)": Canada and the Caribbean share +1 but are not covered.
 * The list below holds the geographic area codes (NPAs) that the North American Numbering Plan
 * assigns to the 50 states and the District of Columbia, overlays included. US territories (Puerto
 * Rico 787/939, the US Virgin Islands 340, Guam 671, the Northern Mariana Islands 670, American
 * Samoa 684) are left out unless Meta says otherwise (OPEN-18), and so are non-geographic codes
 * (toll-free 8XX, 500s, 900), which are shared by every NANP country.
 *
 * Pure data and one pure lookup; no clock, no zod.
 *
 * @module
 */

/**
 * Where the list comes from and how old it is. Re-check it against the source when NANPA
 * announces a new US overlay; a host that knows better passes a resolver
 * (`usMarketingPause: (customer) => boolean`).
 *
 * Checked code by code on 2026-12-06 against NANPA's NPA database (`npa_report.csv`, the file
 * dated 2025-11-26), read through a public copy of that file; every code whose country is US and
 * whose location is one of the 50 states or DC is listed, every other code is not. Google's
 * libphonenumber metadata for region US (the numbers it accepts as US fixed-line or mobile) was
 * used as a second check: every area code it accepts is in the list, and the codes it lacks are
 * overlays NANPA put in service from 2023 on.
 *
 * @example
 * ```ts
 * US_AREA_CODES_SOURCE.asOf; //=> "2026-12-06"
 * ```
 */
export const US_AREA_CODES_SOURCE = {
  /** The day the list was last checked against the source (the rulebook check of 2026-12-06). */
  asOf: "2026-12-06",
  /** NANPA's NPA database: which area code is assigned to which state, country and use. */
  source: "https://nationalnanpa.com/nanp1/npa_report.csv",
  /** The "File Date" of the NANPA report that was read. */
  sourceFileDate: "2025-11-26",
  /** The copy of the report that was read (NANPA's site was not reachable from the checking machine). */
  readFrom: {
    repo: "taus9/trim-npa-report",
    path: "npa_report.csv",
    commit: "0dd079ffa78d8608d01656df12b43932080ab91a",
  },
  /** The second check: libphonenumber's US metadata, as generated into a PHP port. */
  crossCheck: {
    repo: "giggsey/libphonenumber-for-php-lite",
    path: "src/data/PhoneNumberMetadata_US.php",
    commit: "124cd8095f49df71a52b920f9e50d63e5efd6a14",
  },
  /**
   * Codes NANPA had assigned to a state but not yet put in service on the report's date. They are
   * listed anyway (OPEN-18's conservative side): a US number that is wrongly left out would be
   * told "template" for a marketing send that Meta will not deliver.
   */
  planned: ["465", "471", "483", "565", "761"],
  rules: ["CONSENT-8", "OPEN-18"],
} as const;

/**
 * US geographic area codes by state (and DC): three-digit codes separated by spaces.
 *
 * @example
 * ```ts
 * US_AREA_CODES_BY_STATE.NY?.split(" ").includes("212"); //=> true
 * ```
 */
export const US_AREA_CODES_BY_STATE: Readonly<Record<string, string>> = {
  AL: "205 251 256 334 483 659 938",
  AK: "907",
  AZ: "480 520 602 623 928",
  AR: "327 479 501 870",
  CA:
    "209 213 279 310 323 341 350 357 369 408 415 424 442 510 530 559 562 619 626 628 " +
    "650 657 661 669 707 714 738 747 760 805 818 820 831 837 840 858 909 916 925 949 951",
  CO: "303 719 720 748 970 983",
  CT: "203 475 860 959",
  DE: "302",
  DC: "202 771",
  FL: "239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 850 863 904 941 954",
  GA: "229 404 470 478 565 678 706 762 770 912 943",
  HI: "808",
  ID: "208 986",
  IL: "217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872",
  IN: "219 260 317 463 574 765 812 930",
  IA: "319 515 563 641 712",
  KS: "316 620 785 913",
  KY: "270 364 502 606 761 859",
  LA: "225 318 337 457 504 985",
  ME: "207",
  MD: "227 240 301 410 443 667",
  MA: "339 351 413 508 617 774 781 857 978",
  MI: "231 248 269 313 517 586 616 679 734 810 906 947 989",
  MN: "218 320 507 612 651 763 924 952",
  MS: "228 471 601 662 769",
  MO: "235 314 417 557 573 636 660 816 975",
  MT: "406",
  NE: "308 402 531",
  NV: "702 725 775",
  NH: "603",
  NJ: "201 551 609 640 732 848 856 862 908 973",
  NM: "505 575",
  NY:
    "212 315 329 332 347 363 465 516 518 585 607 624 631 646 680 716 718 838 845 914 917 " +
    "929 934",
  NC: "252 336 472 704 743 828 910 919 980 984",
  ND: "701",
  OH: "216 220 234 283 326 330 380 419 436 440 513 567 614 740 937",
  OK: "405 539 572 580 918",
  OR: "458 503 541 971",
  PA: "215 223 267 272 412 445 484 570 582 610 717 724 814 835 878",
  RI: "401",
  SC: "803 821 839 843 854 864",
  SD: "605",
  TN: "423 615 629 729 731 865 901 931",
  TX:
    "210 214 254 281 325 346 361 409 430 432 469 512 621 682 713 " +
    "726 737 806 817 830 832 903 915 936 940 945 956 972 979",
  UT: "385 435 801",
  VT: "802",
  VA: "276 434 540 571 686 703 757 804 826 948",
  WA: "206 253 360 425 509 564",
  WV: "304 681",
  WI: "262 274 353 414 534 608 715 920",
  WY: "307",
};

/** Every US area code in one set, built on first use (no module-scope work: tree-shaking). */
let usSet: ReadonlySet<string> | undefined;

/**
 * Whether a three-digit area code is a US one (CONSENT-8, OPEN-18).
 *
 * @example
 * ```ts
 * isUsAreaCode("212"); //=> true  (New York)
 * isUsAreaCode("416"); //=> false (Toronto, Canada)
 * isUsAreaCode("787"); //=> false (Puerto Rico, a territory)
 * ```
 */
export function isUsAreaCode(areaCode: string): boolean {
  if (usSet === undefined) {
    const all = new Set<string>();
    for (const codes of Object.values(US_AREA_CODES_BY_STATE)) {
      for (const code of codes.split(" ")) all.add(code);
    }
    usSet = all;
  }
  return usSet.has(areaCode);
}

/**
 * Whether a customer id is a US phone number under Meta's wording (CONSENT-8, OPEN-18): its
 * digits (everything else stripped, ID-3) are `1` plus ten digits whose first three are a US area
 * code. A BSUID (`US.…`) counts as US; other BSUIDs and non-numbers do not.
 *
 * @example
 * ```ts
 * isUsCustomer("+1 212 555 0100"); //=> true
 * isUsCustomer("14165550100");     //=> false (Canada)
 * isUsCustomer("US.1502576394655843"); //=> true
 * ```
 */
export function isUsCustomer(customer: string | undefined): boolean {
  if (customer === undefined) return false;
  // ID-4: a BSUID starts with the two-letter country code and a dot.
  if (customer.indexOf(".") === 2) return customer.slice(0, 2) === "US";
  const digits = customer.replace(/\D/g, "");
  return digits.length === 11 && digits.charCodeAt(0) === 49 && isUsAreaCode(digits.slice(1, 4));
}
