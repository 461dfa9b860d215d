-- Expand step: a nullable column with no default rewrite. The previous app version never names it
-- (it selects columns by name and inserts without it), so old and new versions run side by side
-- on this schema during a blue/green deployment. A later contract step may tighten it once no
-- running version writes rows without an origin.

-- migrate:up
ALTER TABLE fruits ADD COLUMN origin text CHECK (origin IS NULL OR char_length(origin) BETWEEN 1 AND 100);

UPDATE fruits SET origin = 'New Zealand' WHERE name = 'Kiwi' AND origin IS NULL;

-- migrate:down
ALTER TABLE fruits DROP COLUMN origin;
