/** The base class of wrappers: forwards everything it does not override to the wrapped env. */
import type { Env, EnvSpec, ResetOptions, ResetResult, StepResult, Wrapper } from "./env.js";
import type { Space } from "./spaces.js";

export class BaseWrapper<Obs = unknown, Act = unknown, InnerObs = Obs, InnerAct = Act> implements Wrapper<Obs, Act, InnerObs, InnerAct> {
  readonly env: Env<InnerObs, InnerAct>;

  constructor(env: Env<InnerObs, InnerAct>) {
    if (env === null || typeof env !== "object" || typeof env.step !== "function" || typeof env.reset !== "function") {
      throw new TypeError("wrapper: expected an environment with reset() and step()");
    }
    this.env = env;
  }

  get observationSpace(): Space<Obs> {
    return this.env.observationSpace as unknown as Space<Obs>;
  }

  get actionSpace(): Space<Act> {
    return this.env.actionSpace as unknown as Space<Act>;
  }

  get spec(): EnvSpec | undefined {
    return this.env.spec;
  }

  set spec(spec: EnvSpec | undefined) {
    this.env.spec = spec;
  }

  get renderModes(): readonly string[] | undefined {
    return this.env.renderModes;
  }

  get unwrapped(): Env<unknown, unknown> {
    const inner = this.env as Env<InnerObs, InnerAct> & { unwrapped?: Env<unknown, unknown> };
    return inner.unwrapped ?? (inner as Env<unknown, unknown>);
  }

  reset(opts?: ResetOptions): ResetResult<Obs> {
    return this.env.reset(opts) as unknown as ResetResult<Obs>;
  }

  step(action: Act): StepResult<Obs> {
    return this.env.step(action as unknown as InnerAct) as unknown as StepResult<Obs>;
  }

  render(): string {
    if (this.env.render === undefined) throw new Error(`${this.spec?.id ?? "environment"}: render() is not supported`);
    return this.env.render();
  }

  close(): void {
    this.env.close();
  }

  toString(): string {
    return `<${this.constructor.name}${String(this.env)}>`;
  }
}
