/** What a caller asks of a paginated list. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** One page of a list. */
export interface Page<T> {
  items: T[];
  /** Opaque; present when there may be more. */
  cursor?: string;
}
