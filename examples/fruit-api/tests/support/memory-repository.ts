import { DuplicateNameError, type Fruit, type FruitInput, type FruitRepository } from "../../src/fruits/model.js";

/** In-memory stand-in for the PostgreSQL repository, with the same case-insensitive unique name rule. */
export class MemoryFruitRepository implements FruitRepository {
  private readonly rows = new Map<number, Fruit>();
  private nextId = 1;
  private clock = Date.parse("2025-01-01T00:00:00Z");

  constructor(seed: FruitInput[] = []) {
    for (const input of seed) this.insert(input);
  }

  private stamp(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  private assertUnique(name: string, exceptId?: number): void {
    for (const row of this.rows.values()) {
      if (row.id !== exceptId && row.name.toLowerCase() === name.toLowerCase()) throw new DuplicateNameError(name);
    }
  }

  private insert(input: FruitInput): Fruit {
    this.assertUnique(input.name);
    const now = this.stamp();
    const fruit = { id: this.nextId++, ...input, createdAt: now, updatedAt: now };
    this.rows.set(fruit.id, fruit);
    return fruit;
  }

  async list(limit: number, offset: number): Promise<Fruit[]> {
    return [...this.rows.values()].sort((a, b) => a.id - b.id).slice(offset, offset + limit);
  }

  async get(id: number): Promise<Fruit | undefined> {
    return this.rows.get(id);
  }

  async create(input: FruitInput): Promise<Fruit> {
    return this.insert(input);
  }

  async replace(id: number, input: FruitInput): Promise<Fruit | undefined> {
    const row = this.rows.get(id);
    if (!row) return undefined;
    this.assertUnique(input.name, id);
    const updated = { ...row, ...input, updatedAt: this.stamp() };
    this.rows.set(id, updated);
    return updated;
  }

  async remove(id: number): Promise<boolean> {
    return this.rows.delete(id);
  }
}
