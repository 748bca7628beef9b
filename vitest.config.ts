import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Unit and integration tests: everything except the browser tests.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.ts", "scripts/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["tests/browser/**", "tests/server/**", "tests/cluster/**", "node_modules/**"],
    environment: "node",
    // PostgreSQL: probed once per run, its test databases dropped at the end (tests/support/postgres.ts).
    globalSetup: ["tests/support/postgres-setup.ts"],
    testTimeout: 20000,
    pool: "forks",
  },
});
