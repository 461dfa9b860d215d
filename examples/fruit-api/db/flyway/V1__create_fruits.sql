-- The same change as ../migrations/20250101000000_create_fruits.sql (dbmate, the example's default tool), for Flyway.

CREATE TABLE fruits (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  color text NOT NULL CHECK (char_length(color) BETWEEN 1 AND 50),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX fruits_name_key ON fruits (lower(name));

-- Reference data: every environment starts with the same fruits.
INSERT INTO fruits (name, color) VALUES
  ('Apple', 'red'),
  ('Banana', 'yellow'),
  ('Cherry', 'dark red'),
  ('Kiwi', 'green');
