/** The status and the field paths of what `fn` throws (messages are the catalogue's; paths are for machines). */
export function refusal(fn: () => unknown): { status: number; paths: string[] } | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    const e = error as { status: number; issues?: { path: string }[]; details?: { field?: string } };
    return { status: e.status, paths: e.issues?.map((i) => i.path) ?? (e.details?.field ? [e.details.field] : []) };
  }
}
