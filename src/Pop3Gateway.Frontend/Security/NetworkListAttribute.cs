using System.ComponentModel.DataAnnotations;

namespace Pop3Gateway.Frontend.Security;

/// <summary>A setting that <see cref="NetworkList.Parse"/> must accept: comma-separated CIDRs or addresses, empty for none.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NetworkListAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        try
        {
            NetworkList.Parse(value as string, validationContext.DisplayName);
            return ValidationResult.Success;
        }
        catch (InvalidOperationException)
        {
            return new ValidationResult($"{validationContext.DisplayName} is not a comma-separated list of CIDRs or addresses");
        }
    }
}
