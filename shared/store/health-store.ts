import { getConfig } from '../config';
import { getItem } from './items';
import { keys } from './keys';

/** Reads the sentinel key: a round trip that needs only GetItem (no DescribeTable grant). */
export async function checkTableReachable(): Promise<void> {
  await getItem(getConfig().caseTableName, keys.health(), false);
}
