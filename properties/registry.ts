/**
 * Every property, by id: the replay test looks fixtures up here. A property that is not listed
 * cannot have its fixtures replayed, and the replay suite fails on fixtures of unknown ids.
 */

import { specRunProperties } from "./contract-run.properties.js";
import { specSchemaProperties } from "./contract-schema.properties.js";
import { coreProperties } from "./core.properties.js";
import { entitiesDifficultyProperties } from "./entities-difficulty.properties.js";
import { entitiesOutputProperties } from "./entities-output.properties.js";
import { entitiesProfileProperties } from "./entities-profiles.properties.js";
import { entitiesRecordProperties } from "./entities-records.properties.js";
import { entitiesVerifyProperties } from "./entities-verify.properties.js";
import type { RegisteredProperty } from "./harness.js";
import { naicsRowProperties } from "./naics-rows.properties.js";
import { naicsTreeProperties } from "./naics-tree.properties.js";
import { naicsVerifyProperties } from "./naics-verify.properties.js";
import { recsysProperties } from "./recsys.properties.js";
import { usageProperties } from "./usage.properties.js";

/** Every registered property, in a stable order. */
export const allProperties: readonly RegisteredProperty[] = [
  ...coreProperties,
  ...naicsTreeProperties,
  ...naicsRowProperties,
  ...naicsVerifyProperties,
  ...specSchemaProperties,
  ...specRunProperties,
  ...entitiesRecordProperties,
  ...entitiesOutputProperties,
  ...entitiesVerifyProperties,
  ...entitiesProfileProperties,
  ...entitiesDifficultyProperties,
  ...usageProperties,
  ...recsysProperties,
];

function index(properties: readonly RegisteredProperty[]): ReadonlyMap<string, RegisteredProperty> {
  const byId = new Map<string, RegisteredProperty>();
  for (const p of properties) {
    if (byId.has(p.id)) throw new Error(`two properties share the id ${p.id}`);
    byId.set(p.id, p);
  }
  return byId;
}

/** Properties by id. */
export const registry: ReadonlyMap<string, RegisteredProperty> = index(allProperties);
