// On-demand price data (shipped in cost/prices.json) and its shape.

export interface PriceTable {
  /** ISO date the prices were read from the AWS price list. */
  asOf: string;
  currency: 'USD';
  hoursPerMonth: number;
  /** region → instance type → USD per hour, Linux, shared tenancy. */
  ec2: Record<string, Record<string, number>>;
  rds: {
    /** region → engine family ("mysql", "postgres", "mariadb") → class → USD per hour, single-AZ. */
    instance: Record<string, Record<string, Record<string, number>>>;
    /** region → storage type → USD per GB-month, single-AZ. */
    storage: Record<string, Record<string, number>>;
    /** region → storage type → USD per provisioned IOPS-month. */
    iops: Record<string, Record<string, number>>;
  };
}
