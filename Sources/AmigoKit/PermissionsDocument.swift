import Foundation

/// How `amigo permissions` prints the IAM actions it computed: the policy JSON, or the
/// member-account role that carries exactly those actions, as a CloudFormation template (for a
/// StackSet across the organisation) or Terraform.
public enum PermissionsFormat: String, CaseIterable, Sendable {
    case json, cloudformation, terraform
}

enum PermissionsDocument {
    static let roleName = "AmigoScanner"

    static func render(_ actions: [String], format: PermissionsFormat) throws -> String {
        switch format {
        case .json: try policyJSON(actions)
        case .cloudformation: cloudFormation(actions)
        case .terraform: terraform(actions)
        }
    }

    static func policyJSON(_ actions: [String]) throws -> String {
        let document: [String: Any] = [
            "Version": "2012-10-17",
            "Statement": [["Sid": "AmigoReadOnly", "Effect": "Allow", "Action": actions, "Resource": "*"]],
        ]
        let data = try JSONSerialization.data(withJSONObject: document,
                                              options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// Actions are amigo's own constants (`service:Action`), so quoting them is enough.
    static func cloudFormation(_ actions: [String]) -> String {
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Description: >-
          Read-only role amigo assumes in each member account, with exactly the IAM actions
          `amigo permissions` computed for its policies. Deploy it
          to the organisation or to OUs with a service-managed StackSet, then scan with
          `amigo scan --org --role-name <RoleName>`.
        Parameters:
          ScannerPrincipalArn:
            Type: String
            Description: ARN of the IAM role or user amigo runs as (in the management or a delegated account).
            AllowedPattern: "^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$"
          RoleName:
            Type: String
            Default: \(roleName)
            Description: The name to pass to amigo as --role-name.
          ExternalId:
            Type: String
            Default: ""
            Description: Optional; pass the same value to amigo as --external-id.
        Conditions:
          HasExternalId: !Not [!Equals [!Ref ExternalId, ""]]
        Resources:
          AmigoScannerRole:
            Type: AWS::IAM::Role
            Properties:
              RoleName: !Ref RoleName
              Description: Read-only AMI governance scans by amigo
              MaxSessionDuration: 3600
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Principal:
                      AWS: !Ref ScannerPrincipalArn
                    Action: sts:AssumeRole
                    Condition: !If
                      - HasExternalId
                      - StringEquals:
                          sts:ExternalId: !Ref ExternalId
                      - !Ref AWS::NoValue
              Policies:
                - PolicyName: AmigoReadOnly
                  PolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Sid: AmigoReadOnly
                        Effect: Allow
                        Action:
        \(actions.map { "                  - \"\($0)\"" }.joined(separator: "\n"))
                        Resource: "*"
        Outputs:
          RoleArn:
            Description: The role amigo assumes in this account.
            Value: !GetAtt AmigoScannerRole.Arn

        """
    }

    static func terraform(_ actions: [String]) -> String {
        """
        # Read-only role amigo assumes in each member account, with exactly the IAM actions
        # `amigo permissions` computed for its policies. Apply it in
        # every member account (one provider alias per account, or from an account vending
        # pipeline), then scan with `amigo scan --org --role-name <role_name>`.

        variable "scanner_principal_arn" {
          type        = string
          description = "ARN of the IAM role or user amigo runs as (in the management or a delegated account)."
        }

        variable "role_name" {
          type        = string
          default     = "\(roleName)"
          description = "The name to pass to amigo as --role-name."
        }

        variable "external_id" {
          type        = string
          default     = ""
          description = "Optional; pass the same value to amigo as --external-id."
        }

        data "aws_iam_policy_document" "amigo_trust" {
          statement {
            actions = ["sts:AssumeRole"]
            principals {
              type        = "AWS"
              identifiers = [var.scanner_principal_arn]
            }
            dynamic "condition" {
              for_each = var.external_id == "" ? [] : [var.external_id]
              content {
                test     = "StringEquals"
                variable = "sts:ExternalId"
                values   = [condition.value]
              }
            }
          }
        }

        data "aws_iam_policy_document" "amigo_read_only" {
          statement {
            sid       = "AmigoReadOnly"
            actions   = [
        \(actions.map { "      \"\($0)\"," }.joined(separator: "\n"))
            ]
            resources = ["*"]
          }
        }

        resource "aws_iam_role" "amigo_scanner" {
          name                 = var.role_name
          description          = "Read-only AMI governance scans by amigo"
          max_session_duration = 3600
          assume_role_policy   = data.aws_iam_policy_document.amigo_trust.json
        }

        resource "aws_iam_role_policy" "amigo_read_only" {
          name   = "AmigoReadOnly"
          role   = aws_iam_role.amigo_scanner.id
          policy = data.aws_iam_policy_document.amigo_read_only.json
        }

        output "role_arn" {
          value = aws_iam_role.amigo_scanner.arn
        }

        """
    }
}
