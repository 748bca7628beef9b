import { useEffect } from "react";
import { CSP_NONCE_PLACEHOLDER } from "~/modules/security/csp";

/**
 * "Your proposals": the browser remembers the status pages it has seen
 * (localStorage, key `dq-proposals`), so a contributor who gave no e-mail
 * address finds their proposals again on /contributions. Progressive
 * enhancement with a few lines of inline script (with the CSP nonce, like the
 * theme toggle): nothing is sent anywhere, and without JavaScript the pages say
 * to bookmark each status page instead.
 */
export const YOUR_PROPOSALS_KEY = "dq-proposals";
const MAX_REMEMBERED = 50;

export interface RememberedProposal {
  id: string;
  title: string;
  /** The status label when the page was last seen. */
  status: string;
  /** ISO time the proposal was sent. */
  sent: string;
}

/** JSON that is safe inside an inline `<script>` (no `</script>`, no `<!--`, no line separators). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** What the inline script below does, for a page React rendered in the browser. */
function rememberInBrowser(entry: RememberedProposal): void {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(YOUR_PROPOSALS_KEY) ?? "[]");
    const others = (Array.isArray(stored) ? stored : []).filter((x: { id?: unknown } | null) => x && x.id !== entry.id);
    localStorage.setItem(YOUR_PROPOSALS_KEY, JSON.stringify([entry, ...others].slice(0, MAX_REMEMBERED)));
  } catch {
    // Storage off or full: the page still says to bookmark it.
  }
}

function rememberScript(entry: RememberedProposal): string {
  return `(function(){try{var k=${scriptJson(YOUR_PROPOSALS_KEY)},e=${scriptJson(entry)},l=JSON.parse(localStorage.getItem(k)||"[]");if(!Array.isArray(l))l=[];l=l.filter(function(x){return x&&x.id!==e.id});l.unshift(e);localStorage.setItem(k,JSON.stringify(l.slice(0,${MAX_REMEMBERED})))}catch(x){}})()`;
}

/**
 * On a status page: remembers this proposal in the browser's list. The inline script does it on a page
 * loaded from the server (status pages ship no bundle); the effect does it when React rendered the page
 * in the browser (reached from the form, which hydrates), where an inserted script would not run.
 */
export function RememberProposal({ entry }: { entry: RememberedProposal }) {
  const { id, title, status, sent } = entry;
  useEffect(() => rememberInBrowser({ id, title, status, sent }), [id, title, status, sent]);
  return <script nonce={CSP_NONCE_PLACEHOLDER} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: rememberScript(entry) }} />;
}

/** Builds the list from localStorage with DOM calls only (titles are text, never HTML). */
const listScript = `(function(){var box=document.getElementById("your-proposals");if(!box)return;var l;try{l=JSON.parse(localStorage.getItem(${scriptJson(YOUR_PROPOSALS_KEY)})||"[]")}catch(x){l=null}
var note=document.getElementById("your-proposals-note");
if(l===null){note.textContent="This browser does not let the site keep a list (storage is off): bookmark each proposal's status page instead.";return}
l=Array.isArray(l)?l.filter(function(x){return x&&typeof x.id==="string"&&/^[A-Za-z0-9_-]{1,64}$/.test(x.id)}):[];
if(l.length===0){note.textContent="No proposals from this browser yet. When you send one, its status page is added here.";return}
note.textContent="The proposals this browser has sent or opened, newest first. The status is the one last seen: open a proposal for its news.";
var ul=document.createElement("ul");ul.className="your-proposals-list";
l.forEach(function(p){var li=document.createElement("li"),a=document.createElement("a"),b=document.createElement("bdi");a.href="/contributions/"+encodeURIComponent(p.id);b.textContent=String(p.title||p.id);a.appendChild(b);li.appendChild(a);
var s=document.createElement("span");s.className="your-proposals-meta";var d=new Date(p.sent);s.textContent=" — "+String(p.status||"")+(isNaN(d)?"":", sent "+d.toISOString().slice(0,10));li.appendChild(s);ul.appendChild(li)});
box.appendChild(ul);var f=document.getElementById("your-proposals-forget");if(f){f.hidden=false;f.addEventListener("click",function(){try{localStorage.removeItem(${scriptJson(YOUR_PROPOSALS_KEY)})}catch(x){}ul.remove();f.hidden=true;note.textContent="The list is empty: this browser forgot it. The proposals themselves are not affected."})}})()`;

/** The /contributions list: a sensible sentence without JavaScript, the browser's list with it. */
export function YourProposalsList() {
  return (
    <>
      <div id="your-proposals" aria-live="polite">
        <p id="your-proposals-note">
          This list is kept by your browser and needs JavaScript, which is off. Each proposal has its own status page: its address
          is the way back to it, so bookmark it when you send a proposal.
        </p>
      </div>
      <button type="button" id="your-proposals-forget" className="secondary" hidden>
        Forget this list
      </button>
      <script nonce={CSP_NONCE_PLACEHOLDER} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: listScript }} />
    </>
  );
}
