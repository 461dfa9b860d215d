/** A fruit as the API returns it. */
export interface Fruit {
  id: number;
  name: string;
  color: string;
  /** Country or region of origin; added by the second migration, so older rows have none. */
  origin: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a client sends to create or replace a fruit. */
export interface FruitInput {
  name: string;
  color: string;
  origin: string | null;
}

/** Storage used by the routes; the PostgreSQL implementation lives in repository.ts. */
export interface FruitRepository {
  list(limit: number, offset: number): Promise<Fruit[]>;
  get(id: number): Promise<Fruit | undefined>;
  create(input: FruitInput): Promise<Fruit>;
  /** Returns undefined when no fruit has this id. */
  replace(id: number, input: FruitInput): Promise<Fruit | undefined>;
  /** Returns false when no fruit has this id. */
  remove(id: number): Promise<boolean>;
}

/** Thrown by a repository when the name is already taken. */
export class DuplicateNameError extends Error {
  override name = "DuplicateNameError";
  constructor(readonly fruitName: string) {
    super(`a fruit named "${fruitName}" already exists`);
  }
}
