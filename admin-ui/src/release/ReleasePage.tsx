/**
 * @module `/release`: promote a release tag, chosen flags or one flag from one environment to one or
 * several — always previewed first, then now, after an approval or after a soak period; promotions to
 * review (diff and gate record), approve or reject with a comment, or revert; each flag's pipeline across
 * environments; and scheduled changes. `?flag=&from=&to=` (or `?tag=`) preselects and previews at once.
 */
import { useState } from "react";
import { useSearch } from "wouter";
import { useEnvironments } from "../api/flags.js";
import { SchedulesSection } from "../schedules/SchedulesSection.js";
import type { Selection } from "./api.js";
import { PipelineTable } from "./PipelineTable.js";
import { PreviewPanel, type Promoted } from "./PreviewPanel.js";
import { PromoteForm } from "./PromoteForm.js";
import { PromotionList } from "./PromotionList.js";
import { PromotionReview } from "./PromotionReview.js";
import { choiceFromSearch, selectionOf, withDefaults } from "./selection.js";
import "../keys/keys.css";
import "./release.css";

export function ReleasePage() {
  // A new link (`?flag=…`) while the page is open starts over with what it asks for.
  const search = useSearch();
  return <ReleaseScreen key={search} search={search} />;
}

/** The preview a link asks for straight away, when it names enough. */
function linkedPreview(search: string): Selection | null {
  const linked = choiceFromSearch(search);
  const result = linked.complete ? selectionOf(linked.choice) : null;
  return result && "selection" in result ? result.selection : null;
}

function ReleaseScreen({ search }: { search: string }) {
  const envs = (useEnvironments().data ?? []).map((e) => e.key);
  const [choice, setChoice] = useState(() => choiceFromSearch(search).choice);
  const [previewing, setPreviewing] = useState(() => linkedPreview(search));
  const [promoted, setPromoted] = useState<Promoted | null>(null);
  const [reviewing, setReviewing] = useState<number | null>(null);
  const preview = (s: Selection) => {
    setPromoted(null);
    setPreviewing(s);
  };
  return (
    <section className="page release" aria-labelledby="release-title">
      <header className="page-header">
        <h1 id="release-title">Release</h1>
      </header>
      <PromoteForm choice={withDefaults(choice, envs)} onChange={setChoice} onPreview={preview} />
      {promoted && (
        <p className="banner banner-done" role="status">
          Promotion #{promoted.id} {promoted.status === "applied" ? "applied" : `is ${promoted.status}`}.{" "}
          <button type="button" className="button-link" onClick={() => setReviewing(promoted.id)}>
            Review it
          </button>
        </p>
      )}
      {previewing && (
        <PreviewPanel
          key={JSON.stringify(previewing)}
          selection={previewing}
          onCancel={() => setPreviewing(null)}
          onPromoted={(outcome) => {
            setPreviewing(null);
            setPromoted(outcome);
          }}
        />
      )}
      {reviewing !== null && (
        <PromotionReview key={reviewing} id={reviewing} onClose={() => setReviewing(null)} />
      )}
      <PromotionList onReview={setReviewing} />
      <PipelineTable tag={choice.what === "tag" ? choice.tag.trim() : ""} onPromote={preview} />
      <SchedulesSection initialFlag={choiceFromSearch(search).choice.flag} />
    </section>
  );
}
