import { PodPlan } from '../plan/pod-plan';
import { CHECKS, podSecurityLevel, policyVersion } from '../plan/pod-security/policy';
import { RULES } from '../rules/all';

/**
 * Properties of the `PlanValidation` plugin, given under `properties:` in cdk8s.yaml.
 */
export interface PlanValidationProperties {
  /**
   * The Pod Security Standards level every workload must meet: `privileged` (no
   * check), `baseline` or `restricted`.
   *
   * @default "baseline"
   */
  readonly podSecurityLevel?: string;

  /**
   * Warning rules that fail the synth, or `["*"]` for all of them (docs/RULES.md lists
   * the rules and their levels: native-sidecars-unsupported, sidecar-without-limits,
   * readiness-without-traffic, proxy-without-startup-probe,
   * sidecars-request-more-than-app). Other warnings are logged.
   *
   * @default - none: warnings are logged
   */
  readonly failOnWarnings?: string[];

  /**
   * The Kubernetes version the manifests are for, such as "1.30".
   *
   * @default - no particular version
   */
  readonly kubernetesVersion?: string;

  /**
   * The Pod Security Standards policy version to judge by, as the namespace label
   * `pod-security.kubernetes.io/enforce-version` gives it: `latest` or `v1.N`.
   *
   * @default "latest"
   */
  readonly podSecurityVersion?: string;

  /**
   * Pod Security controls that workloads may fail and still meet `podSecurityLevel`,
   * by their name in the standard: for a node agent that reads a hostPath volume,
   * `["HostPath Volumes", "Volume Types"]` (the baseline and the restricted control
   * that a hostPath fails). Each is an exception, named here and logged for every
   * workload that takes it; every other control is still judged.
   *
   * @default - none
   */
  readonly podSecurityExceptions?: string[];
}

const LEVELS = ['privileged', 'baseline', 'restricted'];

/**
 * A cdk8s validation plugin that plans every workload of every manifest `cdk8s synth`
 * writes, Pods not built with this library included, and reports the plan's errors,
 * the Pod Security Standards controls below the level asked for, and the warnings
 * chosen to fail the synth, with the resource name and manifest path.
 *
 * In cdk8s.yaml:
 * `validations: [{ package: cdk8s-sidecars, version: 0.0.0, class: PlanValidation, properties: { podSecurityLevel: restricted } }]`
 */
export class PlanValidation {
  private readonly level: string;
  private readonly failOn: string[];
  private readonly kubernetesVersion?: string;
  private readonly podSecurityVersion?: string;
  private readonly exceptions: string[];

  constructor(properties: PlanValidationProperties = {}) {
    this.level = properties.podSecurityLevel ?? 'baseline';
    if (!LEVELS.includes(this.level)) {
      throw new Error(`PlanValidation: podSecurityLevel "${this.level}" is not privileged, baseline or restricted.`);
    }
    this.failOn = properties.failOnWarnings ?? [];
    const warningRules = RULES.filter(r => r.level === 'warning').map(r => r.id);
    for (const rule of this.failOn) {
      if (rule !== '*' && !warningRules.includes(rule)) {
        throw new Error(`PlanValidation: failOnWarnings names "${rule}", which is not a warning rule: use "*" or ${warningRules.join(', ')}.`);
      }
    }
    this.exceptions = properties.podSecurityExceptions ?? [];
    const controls = [...new Set(CHECKS.map(c => c.control))];
    for (const control of this.exceptions) {
      if (!controls.includes(control)) {
        throw new Error(`PlanValidation: podSecurityExceptions names "${control}", which is not a Pod Security control: use one of ${controls.map(c => `"${c}"`).join(', ')}.`);
      }
    }
    this.kubernetesVersion = properties.kubernetesVersion;
    this.podSecurityVersion = properties.podSecurityVersion;
    try {
      policyVersion(this.podSecurityVersion);
    } catch (e) {
      throw new Error(`PlanValidation: podSecurityVersion: ${(e as Error).message}`);
    }
  }

  /**
   * Called by the cdk8s CLI after synthesis.
   *
   * @param context the cdk8s-cli ValidationContext: `manifests`, `parseManifest`, `report`, `logger`
   */
  public validate(context: any): void {
    let failed = false;
    const violation = (ruleName: string, recommendation: string, fix: string, plan: PodPlan, manifestPath: string, index: number) => {
      failed = true;
      context.report.addViolation({
        ruleName,
        recommendation,
        fix,
        violatingResources: [{ resourceName: plan.name, locations: [`document ${index + 1}: ${plan.kind} ${plan.name}`], manifestPath }],
      });
    };
    for (const manifestPath of context.manifests) {
      const documents: any[] = context.parseManifest(manifestPath);
      documents.forEach((manifest, index) => {
        if (!PodPlan.isWorkload(manifest)) {
          return;
        }
        const plan = PodPlan.fromManifest(manifest, { kubernetesVersion: this.kubernetesVersion, podSecurityVersion: this.podSecurityVersion });
        for (const error of plan.findings.filter(f => f.level === 'error')) {
          violation(error.rule, error.message, 'Fix the pod template as the message says, or suppress the rule for this workload with a reason (docs/RULES.md).', plan, manifestPath, index);
        }
        const excepted = plan.podSecurity.violations.filter(v => this.exceptions.includes(v.control));
        for (const v of excepted) {
          context.logger.log(`${plan.kind} ${plan.name}: Pod Security exception (${v.control}): ${v.container ? `container ${v.container}: ` : ''}${v.field}`);
        }
        const judged = plan.podSecurity.violations.filter(v => !excepted.includes(v));
        if (LEVELS.indexOf(podSecurityLevel(judged)) < LEVELS.indexOf(this.level)) {
          for (const v of judged.filter(x => this.level === 'restricted' || x.profile === 'baseline')) {
            violation(`pod-security-${this.level}`, `${v.container ? `container ${v.container}: ` : ''}${v.control}: ${v.field}`,
              `Meet the ${this.level} Pod Security Standard: https://kubernetes.io/docs/concepts/security/pod-security-standards/`, plan, manifestPath, index);
          }
        }
        for (const warning of plan.findings.filter(f => f.level === 'warning')) {
          if (this.failOn.includes('*') || this.failOn.includes(warning.rule)) {
            violation(warning.rule, warning.message, 'Fix it, or remove the rule from failOnWarnings.', plan, manifestPath, index);
          } else {
            context.logger.log(`${plan.kind} ${plan.name}: warning (${warning.rule}): ${warning.message}`);
          }
        }
        for (const s of plan.suppressed) {
          context.logger.log(`${plan.kind} ${plan.name}: suppressed ${s.level} (${s.rule}, because: ${s.reason}): ${s.message}`);
        }
      });
    }
    context.report.submit(failed ? 'failure' : 'success');
  }
}
