/**
 * Type-checks TypeScript files the way an app that installed both SDKs would: files in a temporary app
 * folder whose node_modules holds @switchyard/sdk-node and @switchyard/sdk-browser (the workspace packages,
 * read through their `source` export, i.e. their real typings), under the repository's strict options.
 */
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const CLI_MODULES = fileURLToPath(new URL("../node_modules/@switchyard/", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Returns every diagnostic of the given files (not of the SDKs' own sources), as readable lines. */
export async function typeErrors(files: Record<string, string>): Promise<string[]> {
  const app = await mkdtemp(join(tmpdir(), "switchyard-types-"));
  try {
    return await check(app, files);
  } finally {
    await rm(app, { recursive: true, force: true });
  }
}

async function check(app: string, files: Record<string, string>): Promise<string[]> {
  await mkdir(join(app, "node_modules", "@switchyard"), { recursive: true });
  for (const sdk of ["sdk-node", "sdk-browser"])
    await symlink(
      await realpath(join(CLI_MODULES, sdk)),
      join(app, "node_modules", "@switchyard", sdk),
      "dir",
    );
  const paths = Object.keys(files).map((name) => join(app, name));
  for (const [name, text] of Object.entries(files)) await writeFile(join(app, name), text);

  const program = ts.createProgram(paths, {
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ["source"],
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    typeRoots: [join(ROOT, "node_modules", "@types")],
  });
  return paths.flatMap((path) => {
    const source = program.getSourceFile(path);
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(
      (d) => {
        const line =
          d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
        return `${d.file?.fileName.slice(app.length + 1)}:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      },
    );
  });
}
