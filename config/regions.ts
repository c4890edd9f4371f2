/**
 * Regions this project can place an environment in, with the availability-zone letters it uses
 * there (in order; an environment takes the first 2 or 3). Letters that do not exist or that new
 * accounts cannot use are left out (us-west-1 has only a and c; ca-central-1 has no c). Adding a
 * region is one line here, after checking `aws ec2 describe-availability-zones --region <r>`.
 */
export const REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  "ap-northeast-1": ["a", "c", "d"],
  "ap-northeast-2": ["a", "b", "c", "d"],
  "ap-northeast-3": ["a", "b", "c"],
  "ap-southeast-1": ["a", "b", "c"],
  "ap-southeast-2": ["a", "b", "c"],
  "ap-south-1": ["a", "b", "c"],
  "ca-central-1": ["a", "b", "d"],
  "eu-central-1": ["a", "b", "c"],
  "eu-north-1": ["a", "b", "c"],
  "eu-west-1": ["a", "b", "c"],
  "eu-west-2": ["a", "b", "c"],
  "eu-west-3": ["a", "b", "c"],
  "sa-east-1": ["a", "b", "c"],
  "us-east-1": ["a", "b", "c", "d", "f"],
  "us-east-2": ["a", "b", "c"],
  "us-west-1": ["a", "c"],
  "us-west-2": ["a", "b", "c", "d"],
};

export const REGIONS = Object.keys(REGION_ZONES);
