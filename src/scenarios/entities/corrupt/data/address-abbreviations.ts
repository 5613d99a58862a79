/**
 * Long and short forms of address words, for the `address_variant` operator. Each group lists
 * interchangeable forms in upper case, the long form first.
 *
 * Source: USPS Publication 28, Postal Addressing Standards: Appendix C1 (street suffix
 * abbreviations: primary street suffix name and Postal Service standard suffix abbreviation),
 * Appendix C2 (secondary unit designators and their abbreviations; `#` is the designator the
 * standard allows when the proper one is unknown) and section 233 (directionals). Only the
 * common suffixes are kept, and only suffixes whose long and short forms differ (C1's PARK,
 * WAY, LOOP, ... are the same both ways, so they cannot be varied). Canadian addresses use the
 * same list: Canada Post's English abbreviations agree with these for the common suffixes.
 */

/** Street suffixes (Publication 28, Appendix C1). */
export const STREET_SUFFIXES: readonly (readonly string[])[] = [
  ["ALLEY", "ALY"],
  ["AVENUE", "AVE"],
  ["BOULEVARD", "BLVD"],
  ["BYPASS", "BYP"],
  ["CANYON", "CYN"],
  ["CAUSEWAY", "CSWY"],
  ["CENTER", "CTR"],
  ["CIRCLE", "CIR"],
  ["CORNER", "COR"],
  ["COURT", "CT"],
  ["COVE", "CV"],
  ["CREEK", "CRK"],
  ["CRESCENT", "CRES"],
  ["CREST", "CRST"],
  ["CROSSING", "XING"],
  ["DRIVE", "DR"],
  ["ESTATES", "ESTS"],
  ["EXPRESSWAY", "EXPY"],
  ["EXTENSION", "EXT"],
  ["FREEWAY", "FWY"],
  ["GARDENS", "GDNS"],
  ["GROVE", "GRV"],
  ["HEIGHTS", "HTS"],
  ["HIGHWAY", "HWY"],
  ["HILL", "HL"],
  ["HOLLOW", "HOLW"],
  ["JUNCTION", "JCT"],
  ["LAKE", "LK"],
  ["LANDING", "LNDG"],
  ["LANE", "LN"],
  ["MEADOWS", "MDWS"],
  ["MOUNTAIN", "MTN"],
  ["ORCHARD", "ORCH"],
  ["PARKWAY", "PKWY"],
  ["PLACE", "PL"],
  ["PLAZA", "PLZ"],
  ["POINT", "PT"],
  ["RIDGE", "RDG"],
  ["ROAD", "RD"],
  ["ROUTE", "RTE"],
  ["SPRINGS", "SPGS"],
  ["SQUARE", "SQ"],
  ["STATION", "STA"],
  ["STREET", "ST"],
  ["SUMMIT", "SMT"],
  ["TERRACE", "TER"],
  ["TRAIL", "TRL"],
  ["TURNPIKE", "TPKE"],
  ["VALLEY", "VLY"],
  ["VIEW", "VW"],
  ["VILLAGE", "VLG"],
  ["VISTA", "VIS"],
];

/** Secondary unit designators (Publication 28, Appendix C2). */
export const UNIT_DESIGNATORS: readonly (readonly string[])[] = [
  ["APARTMENT", "APT", "#"],
  ["BASEMENT", "BSMT"],
  ["BUILDING", "BLDG"],
  ["DEPARTMENT", "DEPT"],
  ["FLOOR", "FL"],
  ["FRONT", "FRNT"],
  ["OFFICE", "OFC"],
  ["PENTHOUSE", "PH"],
  ["ROOM", "RM"],
  ["SPACE", "SPC"],
  ["SUITE", "STE"],
  ["TRAILER", "TRLR"],
];

/** Directionals (Publication 28, section 233). */
export const DIRECTIONALS: readonly (readonly string[])[] = [
  ["NORTH", "N"],
  ["SOUTH", "S"],
  ["EAST", "E"],
  ["WEST", "W"],
  ["NORTHEAST", "NE"],
  ["NORTHWEST", "NW"],
  ["SOUTHEAST", "SE"],
  ["SOUTHWEST", "SW"],
];
