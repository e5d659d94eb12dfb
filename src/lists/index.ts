export { ListRegistry, type ListHook, type PreparedLists } from './ListRegistry.ts';
export { LiveList } from './LiveList.ts';
export { IpSet } from './IpSet.ts';
export { parseIpRange, parseAddress, parseIPv4, parseIPv6, formatRange, formatIPv6, type IpRange } from './ipAddress.ts';
export { parseListFile, listNameOf, normalizeItems, LIST_NAME, MAX_ITEM_ISSUES, type ListDefinition } from './parseListFile.ts';
export { normalizeItem, MAX_STRING_ITEM, type NormalItem } from './listItem.ts';
export { collectListReferences, type ListReference } from './listReferences.ts';
export { UnknownListError } from './UnknownListError.ts';
export { LIST_KINDS } from './types.ts';
export type {
  DroppedItem,
  ListFileInput,
  ListItem,
  ListKind,
  ListLoadResult,
  ListOverlay,
  ListSummary,
  ListUpdate,
  ListView,
} from './types.ts';
export type { ListRef } from '../conditions/types.ts';
