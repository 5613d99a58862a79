/**
 * The recsys taxonomy's default names and its vibe vocabulary (issue 13).
 *
 * Chosen for this scenario: the same lists as the numpy peer (`recsys_numpy.py`: CATEGORY_NAMES,
 * SLOT_WEIGHTS, VIBES), so both run one model. A category's slot weights are the shares of its
 * places' typical time slot (morning [6,12), afternoon [12,17), evening [17,22), night [22,6)), set
 * by judgement of when such places are busy. Categories beyond this list are named `category_13`,
 * ... and get uniform slot weights.
 */

/** The four time slots, in the order of every slot-weight list. */
export const SLOTS = ["morning", "afternoon", "evening", "night"] as const;

/** Default coarse categories and the weights of their places' typical time slot. */
export const CATEGORIES: readonly { readonly name: string; readonly slotWeights: readonly [number, number, number, number] }[] = [
  { name: "food", slotWeights: [0.15, 0.35, 0.4, 0.1] },
  { name: "nightlife", slotWeights: [0, 0.05, 0.35, 0.6] },
  { name: "music", slotWeights: [0.02, 0.13, 0.5, 0.35] },
  { name: "sports", slotWeights: [0.35, 0.4, 0.2, 0.05] },
  { name: "arts", slotWeights: [0.15, 0.45, 0.35, 0.05] },
  { name: "outdoors", slotWeights: [0.45, 0.4, 0.13, 0.02] },
  { name: "family", slotWeights: [0.35, 0.5, 0.15, 0] },
  { name: "wellness", slotWeights: [0.5, 0.3, 0.18, 0.02] },
  { name: "learning", slotWeights: [0.3, 0.45, 0.25, 0] },
  { name: "shopping", slotWeights: [0.2, 0.55, 0.25, 0] },
  { name: "tech", slotWeights: [0.15, 0.45, 0.35, 0.05] },
  { name: "community", slotWeights: [0.2, 0.4, 0.35, 0.05] },
];

/** The vibe vocabulary a user's profile draws its traits from. */
export const VIBES: readonly string[] = [
  "chill",
  "lively",
  "cozy",
  "romantic",
  "adventurous",
  "artsy",
  "sporty",
  "foodie",
  "nerdy",
  "social",
  "quiet",
  "trendy",
  "family",
  "outdoorsy",
  "luxurious",
  "budget",
  "spiritual",
  "party",
  "curious",
  "creative",
  "laid-back",
  "energetic",
  "intellectual",
  "indie",
];
