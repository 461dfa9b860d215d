import type pg from "pg";
import { DuplicateNameError, type Fruit, type FruitInput, type FruitRepository } from "./model.js";

// Columns are named, never `*`: a later expand migration may add columns this version does not know.
const COLUMNS = "id, name, color, origin, created_at, updated_at";

interface FruitRow {
  id: number;
  name: string;
  color: string;
  origin: string | null;
  created_at: Date;
  updated_at: Date;
}

function toFruit(row: FruitRow): Fruit {
  return {
    id: row.id,
    name: row.name,
    color: row.color,
    origin: row.origin,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** PostgreSQL error code for a unique constraint violation. */
const UNIQUE_VIOLATION = "23505";

function rethrow(error: unknown, input: FruitInput): never {
  if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new DuplicateNameError(input.name);
  throw error;
}

export class PgFruitRepository implements FruitRepository {
  constructor(private readonly pool: pg.Pool) {}

  async list(limit: number, offset: number): Promise<Fruit[]> {
    const { rows } = await this.pool.query<FruitRow>(`SELECT ${COLUMNS} FROM fruits ORDER BY id LIMIT $1 OFFSET $2`, [limit, offset]);
    return rows.map(toFruit);
  }

  async get(id: number): Promise<Fruit | undefined> {
    const { rows } = await this.pool.query<FruitRow>(`SELECT ${COLUMNS} FROM fruits WHERE id = $1`, [id]);
    return rows[0] && toFruit(rows[0]);
  }

  async create(input: FruitInput): Promise<Fruit> {
    try {
      const { rows } = await this.pool.query<FruitRow>(
        `INSERT INTO fruits (name, color, origin) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
        [input.name, input.color, input.origin],
      );
      return toFruit(rows[0] as FruitRow);
    } catch (error) {
      rethrow(error, input);
    }
  }

  async replace(id: number, input: FruitInput): Promise<Fruit | undefined> {
    try {
      const { rows } = await this.pool.query<FruitRow>(
        `UPDATE fruits SET name = $2, color = $3, origin = $4, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, input.name, input.color, input.origin],
      );
      return rows[0] && toFruit(rows[0]);
    } catch (error) {
      rethrow(error, input);
    }
  }

  async remove(id: number): Promise<boolean> {
    const { rowCount } = await this.pool.query("DELETE FROM fruits WHERE id = $1", [id]);
    return (rowCount ?? 0) > 0;
  }
}
